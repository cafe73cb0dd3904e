"""IDENTIFY slots shared by every process of a cluster, as Discord counts them per bot token.

Discord lets one shard per `max_concurrency` bucket (`shard_id % max_concurrency`) IDENTIFY
every 5 seconds, across all connections of the token. Each bucket's last reserved start
is a `bot_meta` row; a process reserves the next start with a compare-and-set on it, so
two processes starting shards of the same bucket queue one behind the other instead of
one drawing an INVALID_SESSION. Wall-clock time, because it is compared across machines.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.storage.meta import MetaRepository


class IdentifySlots:
    """Reserve a bucket's next IDENTIFY start in the database."""

    def __init__(self, meta: MetaRepository, now: Callable[[], float] = time.time) -> None:
        self._meta = meta
        self._now = now

    async def reserve(self, bucket: int, window: float) -> float:
        """Take the bucket's next start, at least `window` s after the last; seconds to wait."""
        key = f"identify:bucket:{bucket}"
        while True:
            held = await self._meta.get(key)
            now = self._now()
            start = now if held is None else max(now, float(held) + window)
            if await self._meta.swap(key, held, repr(start)):
                return start - now
