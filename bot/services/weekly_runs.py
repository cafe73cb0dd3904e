"""What every weekly post shares: the lease it goes out under, and patience with Discord.

A run takes the post's lease before sending anything (see
`storage/scheduled_posts.py`); only the lease holder sends, and it renews the
lease before every attempt and every part, so a process that stalls past its
lease notices it lost the post (`LeaseLost`) instead of finishing it twice.
A transient failure (a 5xx, a timeout, a dropped connection) is retried with
growing pauses until the week's grace period ends; a permanent one (a missing
permission, a deleted channel) ends the attempt at once. Either way the caller
reports a failure once: only the owner can move the claim to `failed`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.schedule import Claim, PostKey, PostProgress
from bot.storage.scheduled_posts import ScheduledPostsRepository

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RetryCount = Callable[[str], None]  # told the kind of post each time one is tried again
FIRST_BACKOFF_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 600.0


@dataclass(frozen=True)
class Problem:
    """Why a delivery did not go through, in the moderators' words; transient ones are retried."""

    reason: str
    transient: bool = False


Attempt = Callable[[], Awaitable[Problem | None]]


class LeaseLost(Exception):
    """Another process took the post over after this one's lease ran out: stop sending."""


def process_owner() -> str:
    """Name this process as a lease owner: pid@host, and a token no restart can repeat."""
    return f"{os.getpid()}@{socket.gethostname()}#{secrets.token_hex(4)}"


class Leases:
    """One process's leases on weekly posts, and the retry loop that runs under them."""

    def __init__(
        self,
        posts: ScheduledPostsRepository,
        clock: Clock,
        owner: str,
        lease_seconds: int,
        sleep: Sleep = asyncio.sleep,
        count_retry: RetryCount = lambda kind: None,
    ) -> None:
        self._posts, self._clock = posts, clock
        self.owner = owner
        self._lease = lease_seconds
        self._sleep = sleep
        self._count_retry = count_retry
        self._running: set[PostKey] = set()  # posts a run of this process is working on now

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    def stamp(self) -> str:
        """Return the current time as the ISO text the claim table keeps in `updated_at`."""
        return self._clock.now().isoformat(timespec="seconds")

    @asynccontextmanager
    async def held(self, key: PostKey) -> AsyncIterator[Claim | None]:
        """Claim the post for the block, or take over a lapsed claim; None while held or finished.

        A run of this very process never takes over another run of it (a sweep
        meeting a slow catch-up): the lease is between processes.
        """
        if key in self._running:
            yield None
            return
        self._running.add(key)
        try:
            yield await self._take(key)
        finally:
            self._running.discard(key)

    async def _take(self, key: PostKey) -> Claim | None:
        now = self._now()
        claim = await self._posts.claim(key, self.owner, now, now + self._lease, self.stamp())
        if claim is not None and not claim.fresh:
            log.info(
                "taking over weekly %s for %s (%s), left %s with %d part(s) sent",
                key.kind,
                key.guild_id,
                key.week,
                claim.progress.status,
                len(claim.progress.parts),
            )
        return claim

    async def progress(self, key: PostKey) -> PostProgress | None:
        """Return how far the post got; None when nobody claimed it."""
        return await self._posts.progress(key)

    async def renew(self, key: PostKey, extra: float = 0.0) -> None:
        """Hold the lease for another lease length (plus `extra`); raise LeaseLost if taken over."""
        if not await self._posts.renew(key, self.owner, self._now() + self._lease + int(extra)):
            raise LeaseLost(f"weekly {key.kind} for {key.guild_id} ({key.week})")

    async def part_sent(self, key: PostKey, part: int, message_id: int) -> None:
        """Record a sent part at once, then renew: the next part goes out under a fresh lease."""
        await self._posts.record_part(key, part, message_id)
        await self.renew(key)

    async def record_upto(self, key: PostKey, upto: int) -> None:
        """Fix the newest row the post covers, so a run taking it over composes the same."""
        await self._posts.record_upto(key, self.owner, upto)

    async def record_message(self, key: PostKey, message_id: int) -> None:
        """Keep the first message's id the moment Discord returns it."""
        await self._posts.record_message(key, self.owner, message_id, self.stamp())

    async def record_opened(self, key: PostKey, thread_id: int) -> None:
        """Mark the week's thread open, with its id."""
        await self._posts.record_opened(key, self.owner, thread_id, self.stamp())

    async def finish(
        self,
        key: PostKey,
        status: str,
        message_id: int | None = None,
        detail: str | None = None,
    ) -> bool:
        """Record the outcome; False when another process owns the claim now (say nothing)."""
        return await self._posts.finish(key, self.owner, status, self.stamp(), message_id, detail)

    async def lapsed(self, kinds: tuple[str, ...], grace: timedelta) -> list[PostKey]:
        """Return the unfinished claims whose lease ran out within the grace period."""
        now = self._now()
        return await self._posts.expired(kinds, now, now - int(grace.total_seconds()))

    async def retrying(self, key: PostKey, attempt: Attempt, deadline: datetime) -> Problem | None:
        """Run `attempt` until it succeeds, fails for good, or the grace period would end."""
        delay = FIRST_BACKOFF_SECONDS
        while True:
            await self.renew(key)
            problem = await attempt()
            if problem is None or not problem.transient:
                return problem
            if self._clock.now() + timedelta(seconds=delay) > deadline:
                return problem
            log.info(
                "weekly %s for %s: %s; trying again in %.0f s",
                key.kind,
                key.guild_id,
                problem.reason,
                delay,
            )
            self._count_retry(key.kind)
            await self.renew(key, extra=delay)  # asleep, not dead: nobody takes it over meanwhile
            await self._sleep(delay)
            delay = min(delay * 2, BACKOFF_CAP_SECONDS)
