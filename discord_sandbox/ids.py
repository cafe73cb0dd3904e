"""Snowflakes, timestamps and tokens that look like Discord's.

Real-looking values matter: discord.py derives ``created_at`` from snowflakes and parses ISO 8601
timestamps, so fake ``1, 2, 3`` ids would produce 2015 dates and hide ordering bugs.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import time

DISCORD_EPOCH_MS = 1_420_070_400_000
# Guild ids take one millisecond each from a day before the sandbox started, aligned so that
# the k-th guild lands on shard k % n for every shard count n up to 16 (a multiple of 1..16).
_GUILD_ALIGN_MS = 720_720
_GUILD_WORKER = 2


class SnowflakeFactory:
    """Mint unique, time-ordered snowflakes (timestamp | worker | process | increment)."""

    def __init__(self, worker_id: int = 1, process_id: int = 0) -> None:
        self._worker = worker_id & 0x1F
        self._process = process_id & 0x1F
        self._last_ms = 0
        self._increment = 0
        day_before = int(time.time() * 1000) - DISCORD_EPOCH_MS - 86_400_000
        self._guild_ms = day_before - day_before % _GUILD_ALIGN_MS

    def next_guild(self) -> int:
        """Return a guild id on the next shard in turn: guild k is on shard k % n, n <= 16.

        Real guilds were created over years, so their shards spread evenly; ids minted in one
        millisecond would all share a shard, because the shard comes from the timestamp bits.
        Their own worker id keeps them distinct from every other snowflake.
        """
        self._guild_ms += 1
        return ((self._guild_ms - 1) << 22) | (_GUILD_WORKER << 17) | (self._process << 12)

    def next(self) -> int:
        """Return a new snowflake, never smaller than the previous one."""
        now_ms = max(int(time.time() * 1000), self._last_ms)
        if now_ms == self._last_ms:
            self._increment += 1
            if self._increment > 0xFFF:
                now_ms += 1
                self._increment = 0
        else:
            self._increment = 0
        self._last_ms = now_ms
        return (
            ((now_ms - DISCORD_EPOCH_MS) << 22)
            | (self._worker << 17)
            | (self._process << 12)
            | self._increment
        )


def utcnow() -> dt.datetime:
    """Return the current aware UTC time."""
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """Format an aware datetime the way Discord does (microseconds, explicit +00:00)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def snowflake_time(snowflake: int) -> dt.datetime:
    """Return the creation time encoded in a snowflake."""
    return dt.datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, dt.UTC)


def bot_token(user_id: int) -> str:
    """Build a token shaped like a real bot token (base64 id, timestamp, HMAC-ish tail)."""
    head = base64.urlsafe_b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(5)}.{secrets.token_urlsafe(27)}"


def interaction_token() -> str:
    """Build an opaque interaction token; tests never need to read it."""
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
