"""Finding the week's thread for a check-in or recap, waiting while it is being opened.

The jobs of one minute fire together, so a check-in may reach the database
before the opening has claimed its post: while the opening is due and within
its grace, the check-in waits for it rather than skip the week. An opening run
by this very process is awaited on an event instead of by polling its claim,
and is announced before that run's first await, so the check-in finds it
whichever of the two reached the database first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.schedule import PostKey, PostProgress, Weekly
from bot.services.accountability_schedule import OPEN, OPENING, opening_due
from bot.services.weekly_runs import Leases, Problem

log = logging.getLogger(__name__)


class OpeningWatch:
    """The servers whose weekly opening runs in this process now, and the wait for a thread."""

    def __init__(self, leases: Leases, clock: Clock) -> None:
        self._leases, self._clock = leases, clock
        self._openings: dict[int, asyncio.Event] = {}  # each with its run's done event

    async def week_thread(
        self, waiting: PostKey, slots: dict[str, Weekly], deadline: datetime, grace: timedelta
    ) -> int | None:
        """Return the week's thread for the `waiting` post, once opened; None if none comes."""
        key = PostKey(waiting.guild_id, OPEN, waiting.week)
        opening: PostProgress | None = None

        async def opened() -> Problem | None:
            nonlocal opening
            await self.opened_here(waiting.guild_id, deadline)
            opening = await self._leases.progress(key)
            if opening is None:
                due = opening_due(slots, waiting.week, self._clock.now(), grace)
                return OPENING if due else None
            return OPENING if opening.unfinished else None

        await self._leases.retrying(waiting, opened, deadline)
        return opening.thread_id if opening is not None and opening.status == "sent" else None

    @asynccontextmanager
    async def announced(self, guild_id: int) -> AsyncIterator[None]:
        """Let this process's check-ins wait for its own opening run without polling.

        Entered before the run's first await, so a check-in fired in the same
        minute finds it whichever of the two reaches the database first.
        """
        if guild_id in self._openings:  # a run of this process is on it already
            yield
            return
        done = self._openings[guild_id] = asyncio.Event()
        try:
            yield
        finally:
            done.set()
            del self._openings[guild_id]

    async def opened_here(self, guild_id: int, deadline: datetime) -> None:
        """Wait for this process's own run of the opening, if one is under way (else return)."""
        done = self._openings.get(guild_id)
        if done is None:
            return
        left = (deadline - self._clock.now()).total_seconds()
        try:
            await asyncio.wait_for(done.wait(), timeout=max(left, 0.0))
        except TimeoutError:
            log.info("weekly thread of %s still opening at the check-in's deadline", guild_id)
