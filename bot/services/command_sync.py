"""Decide whether the command tree needs registering, and which process of a cluster does it.

Every process of a cluster starts with the same tree. The first to find it differs from
the last synced digest claims the sync in the database (a compare-and-set on one row);
the others see the claim and leave it. A claim names the digest and when it lapses, so
a process that died before finishing the sync leaves it to the next start after that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.domain.command_tree import sync_key, tree_digest
from bot.storage.meta import MetaRepository

# Longer than a sync takes (one bulk PUT, retried through a rate limit at worst).
CLAIM_SECONDS = 300


class CommandSyncService:
    """Remembers what was registered so unchanged trees are never synced again."""

    def __init__(self, meta: MetaRepository) -> None:
        self._meta = meta

    async def is_current(self, commands: Iterable[Mapping[str, Any]], guild_id: int | None) -> bool:
        """Say whether `commands` is exactly what was last synced to that scope (None: global)."""
        return await self._meta.get(sync_key(guild_id)) == tree_digest(commands)

    async def claim(
        self, commands: Iterable[Mapping[str, Any]], guild_id: int | None, now: datetime
    ) -> bool:
        """Claim syncing this tree to that scope for this process; False: another one has it."""
        key = f"{sync_key(guild_id)}:claim"
        digest = tree_digest(commands)
        held = await self._meta.get(key)
        if held is not None:
            held_digest, _, until = held.partition("|")
            if held_digest == digest and datetime.fromisoformat(until) > now:
                return False
        until = (now + timedelta(seconds=CLAIM_SECONDS)).isoformat(timespec="seconds")
        return await self._meta.swap(key, held, f"{digest}|{until}")

    async def record(self, commands: Iterable[Mapping[str, Any]], guild_id: int | None) -> None:
        """Remember a successful sync."""
        await self._meta.put(sync_key(guild_id), tree_digest(commands))
