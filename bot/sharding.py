"""The sharded bot's own behaviour: per-shard events, and identifying as fast as allowed.

Mixed into `ShardedBounceback` (`bot/client.py`) ahead of the plain bot, so the per-shard
gateway events replace the unsharded ones, and the catch-up that follows READY runs once
per shard connection (a shard that had to IDENTIFY again), never once per RESUME.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.config import Config
from bot.domain.shards import ShardPlan
from bot.monitoring.gateway import Monitor
from bot.scheduling import WeeklyJobs

log = logging.getLogger(__name__)
IDENTIFY_WINDOW_SECONDS = 5.0
# Between processes an IDENTIFY leaves a little after its reserved start; keep them apart anyway.
CLUSTER_MARGIN_SECONDS = 0.5
# Reserve a bucket's next IDENTIFY (bucket, window) -> seconds to wait; see services/identify_slots.
Reserve = Callable[[int, float], Awaitable[float]]


def with_shards(
    config: Config, shards: str | int | None, shard_ids: tuple[int, ...] | None
) -> Config:
    """Apply `run --shards/--shard-ids` over the config; ValueError says why they do not fit."""
    discord_config = config.discord
    if shards is not None:
        discord_config = replace(discord_config, shards=shards)  # type: ignore[arg-type]
    if shard_ids is not None:
        discord_config = replace(discord_config, shard_ids=shard_ids)
    return replace(config, discord=discord_config)


def describe_shards(plan: ShardPlan) -> str:
    """Say in a few words what this process connects as (`check` and the start-up log)."""
    if not plan.sharded:
        return "one connection (not sharded)"
    if plan.count is None:
        return "every shard, as many as Discord recommends"
    if plan.ids is None:
        return f"all {plan.count} shards"
    return f"shards {', '.join(map(str, plan.ids))} of {plan.count}"


class IdentifyPacer:
    """One IDENTIFY per `max_concurrency` bucket every 5 s, as Discord allows.

    discord.py's default waits 5 s before every shard after the first; large bots get
    `max_concurrency` > 1 and may start that many shards at once (bucket `shard % n`).
    A shard told INVALID_SESSION comes back here, 5 s after its own refused attempt.
    With `reserve`, the buckets are the cluster's (kept in the database), not this process's.
    """

    def __init__(
        self,
        concurrency: Callable[[], Awaitable[int]],
        *,
        reserve: Reserve | None = None,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._concurrency = concurrency
        self._reserve = reserve  # shared with the cluster's other processes (the database)
        self._now, self._sleep = now, sleep
        self._buckets: int | None = None
        self._last: dict[int, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, shard_id: int) -> None:
        """Return when `shard_id` may IDENTIFY."""
        async with self._lock:
            if self._buckets is None:
                self._buckets = max(await self._concurrency(), 1)
            bucket = shard_id % self._buckets
            if self._reserve is None:
                await self._wait_here(bucket)
                return
        # Outside the lock: a reservation is atomic in the database, and a shard of another
        # bucket need not queue behind this one's wait.
        wait = await self._reserve(bucket, IDENTIFY_WINDOW_SECONDS + CLUSTER_MARGIN_SECONDS)
        if wait > 0:
            await self._sleep(wait)  # pacing a real connection: Discord's window is 5 s

    async def _wait_here(self, bucket: int) -> None:
        """Pace the bucket by this process's own starts (tests, and no database to share)."""
        last = self._last.get(bucket)
        wait = 0.0 if last is None else last + IDENTIFY_WINDOW_SECONDS - self._now()
        if wait > 0:
            # Pacing a real connection, not synchronising a test: Discord's window is 5 s.
            await self._sleep(wait)
        self._last[bucket] = self._now()


class ShardedStart:
    """Per-shard events for the monitor and the catch-up; paced IDENTIFYs."""

    monitor: Monitor
    weekly_jobs: WeeklyJobs
    identify_pacer: IdentifyPacer
    _settled: bool  # set by the bot's first on_ready, once every shard was READY

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's concurrency bucket instead of a flat 5 s per shard."""
        await self.identify_pacer.wait(shard_id or 0)

    async def on_connect(self) -> None:
        """Ignored: `on_shard_connect` says which shard."""

    async def on_resumed(self) -> None:
        """Ignored: `on_shard_resumed` says which shard."""

    async def on_disconnect(self) -> None:
        """Ignored: `on_shard_disconnect` says which shard."""

    async def on_shard_connect(self, shard_id: int) -> None:
        """Mark the shard up: its READY arrived."""
        await self.monitor.shards.up(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        """Mark the shard up again; a RESUME missed nothing, so there is nothing to catch up."""
        await self.monitor.shards.up(shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        """Mark the shard down; the other shards go on."""
        await self.monitor.shards.down(shard_id)

    async def on_shard_ready(self, shard_id: int) -> None:
        """Catch up after a shard had to IDENTIFY again once started (a new session)."""
        log.info("shard %d ready", shard_id)
        if self._settled:
            await self.weekly_jobs.catch_up()
