"""Sharding as Discord does it: which session owns a guild, and how fast sessions may start.

Discord routes every event and interaction of a guild to shard ``(guild_id >> 22) % count``
(DMs to shard 0), reports a recommended shard count and a ``session_start_limit`` from
``GET /gateway/bot``, and lets at most one IDENTIFY per ``max_concurrency`` bucket
(``shard_id % max_concurrency``) start every 5 seconds; a faster one is answered with
INVALID_SESSION, which discord.py meets by waiting and identifying again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

IDENTIFY_WINDOW_SECONDS = 5.0
DAY_MS = 86_400_000
# Events about a guild itself carry its id as "id"; every other guild event says "guild_id".
_GUILD_ITSELF = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard Discord routes a guild to."""
    return (guild_id >> 22) % shard_count


def guild_of(event: str, data: dict[str, Any]) -> int | None:
    """Return the guild a dispatch is about, or None (DMs, READY, RESUMED)."""
    raw = data.get("id") if event in _GUILD_ITSELF else data.get("guild_id")
    return int(raw) if raw is not None else None


def owns(shard: tuple[int, int], guild_id: int | None) -> bool:
    """Say whether a session identified as ``shard`` (id, count) receives this guild's events."""
    shard_id, count = shard
    if guild_id is None:
        return shard_id == 0
    return shard_of(guild_id, count) == shard_id


@dataclass
class SessionStarts:
    """``session_start_limit`` plus the per-bucket IDENTIFY pacing Discord enforces."""

    recommended_shards: int = 1
    max_concurrency: int = 1
    total: int = 1000
    enforce: bool = False
    window: float = IDENTIFY_WINDOW_SECONDS
    used: int = 0
    rejected: int = 0
    _last: dict[int, float] = field(default_factory=dict)

    def admit(self, shard_id: int) -> bool:
        """Count an IDENTIFY for ``shard_id``; False if its bucket started one too recently."""
        now = time.monotonic()
        bucket = shard_id % self.max_concurrency
        last = self._last.get(bucket)
        if self.enforce and last is not None and now - last < self.window:
            self.rejected += 1
            return False
        self._last[bucket] = now
        self.used += 1
        return True

    def limit(self) -> dict[str, int]:
        """Return Discord's ``session_start_limit`` object as of now."""
        return {
            "total": self.total,
            "remaining": max(self.total - self.used, 0),
            "reset_after": DAY_MS,
            "max_concurrency": self.max_concurrency,
        }
