"""APScheduler wiring: one cron job per server and weekly post, rebuilt from settings.

One in-memory AsyncIOScheduler for the whole bot. Features with weekly posts
declare themselves into one registry, `WeeklyJobs`, which derives the jobs
from the servers' settings at start and after /setup, so nothing about the
schedule is stored twice and no extension touches the scheduler. What makes a
post happen exactly once is the claim (a lease) in the database, not the
scheduler. A process that dies mid-post leaves its lease to run out; every
process sweeps for lapsed leases once a minute and finishes those posts, so a
week is not lost waiting for the next due time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.schedule import Weekly
from bot.domain.shards import Owns, everyone
from bot.incidents import log_incident

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]
Ready = Callable[[], Awaitable[object]]
# A job fired while the bot is still connecting waits this long, then leaves the
# run to the catch-up that follows READY (the claim keeps it to one post).
READY_TIMEOUT_SECONDS = 300.0
UNEVENTFUL = ("not-due", "already-claimed")
SWEEP_SECONDS = 60  # how often a process looks for lapsed leases (sooner when leases are shorter)
SWEEP_JOB = "leases"
DAY_ABBREVIATIONS = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}


def weekly_trigger(slot: Weekly) -> CronTrigger:
    """Build a cron trigger firing at the slot's local weekday and time, DST-aware."""
    hour, minute = slot.time.split(":")
    return CronTrigger(
        day_of_week=DAY_ABBREVIATIONS[slot.weekday],
        hour=int(hour),
        minute=int(minute),
        timezone=slot.timezone,
    )


class Scheduler:
    """Owns the APScheduler instance and its lifecycle."""

    def __init__(self, grace_seconds: int = 12 * 3600) -> None:
        self._scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace_seconds}
        )

    @property
    def running(self) -> bool:
        """True between `start()` and `stop()`."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start on the running event loop; idempotent."""
        if not self._scheduler.running:
            self._scheduler.start()
            log.info("scheduler started")

    def stop(self) -> None:
        """Stop without waiting for new runs; running jobs finish their awaits."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            log.info("scheduler stopped")

    def weekly(self, job_id: str, slot: Weekly, job: Job) -> None:
        """Add or replace the job with this stable id."""
        self._scheduler.add_job(job, weekly_trigger(slot), id=job_id, replace_existing=True)

    def remove(self, suffix: str) -> None:
        """Remove every job whose id ends with `suffix` (one server's: `:<guild>`)."""
        for job in self._scheduler.get_jobs():
            if job.id.endswith(suffix):
                job.remove()

    def every(self, job_id: str, seconds: float, job: Job) -> None:
        """Add or replace a job that runs every `seconds`, starting one interval from now."""
        trigger = IntervalTrigger(seconds=seconds)
        self._scheduler.add_job(job, trigger, id=job_id, replace_existing=True)

    def job_ids(self) -> list[str]:
        """Return every scheduled job's id, sorted so listings and tests are stable."""
        return sorted(job.id for job in self._scheduler.get_jobs())

    async def fire(self, job_id: str) -> object:
        """Run a job's function now, as cron would (tests and the demo move a fake clock)."""
        job = self._scheduler.get_job(job_id)
        if job is None:
            raise KeyError(job_id)
        return await job.func()


def job_id(kind: str, guild_id: int) -> str:
    """Return the stable id of one server's weekly job (`celebration:123`, `checkin:123`)."""
    return f"{kind}:{guild_id}"


class Outcome(Protocol):
    """What a weekly run reports (logged, and returned to tests and the demo)."""

    @property
    def guild_id(self) -> int:
        """The server the run was for."""

    @property
    def kind(self) -> str:
        """The kind of post, as in its job id (`celebration`, `checkin`)."""

    @property
    def status(self) -> str:
        """How the run ended, one word for the log (`sent`, `failed`, `not-due`, ...)."""


class WeeklyFeature(Protocol):
    """A feature with weekly posts, as the scheduler sees it (its service implements this)."""

    async def weekly_slots(self, guild_id: int | None = None) -> Mapping[int, Mapping[str, Weekly]]:
        """Per configured server (one, or all when None): each kind of post and its slot."""
        ...

    async def run(self, guild_id: int, kind: str) -> Outcome:
        """Post this server's `kind` if it is due now and not claimed yet."""
        ...

    async def catch_up(self, owns: Owns) -> Sequence[Outcome]:
        """Post everything of the servers `owns` accepts, due within the grace period, unclaimed."""
        ...

    async def resume_lapsed(self, owns: Owns) -> Sequence[Outcome]:
        """Finish those servers' posts whose claim's lease ran out unfinished (its process died)."""
        ...


class WeeklyJobs:
    """The one registry of weekly jobs: features declare into it, /setup reschedules through it."""

    def __init__(
        self,
        scheduler: Scheduler,
        ready: Ready,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        owns: Owns = everyone,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._scheduler = scheduler
        self._ready = ready
        self._ready_timeout = ready_timeout
        # A sharded process schedules, catches up and sweeps only the servers on its own shards.
        self._owns = owns
        self._sweep_seconds = sweep_seconds
        self._features: list[WeeklyFeature] = []
        self._catching_up: set[asyncio.Task[None]] = set()

    def declare(self, feature: WeeklyFeature) -> None:
        """Give `feature` one cron job per server and kind, and a catch-up after READY."""
        self._features.append(feature)

    async def schedule(self, guild_id: int | None = None) -> None:
        """(Re)build the jobs of one server (after /setup), or of every server (at start).

        A server whose jobs are rebuilt (a new day, time, zone or channel) also gets its
        catch-up in the background: a post moved to a time already past this week goes
        out now instead of a week late. A first setup does not: it starts with the next
        time due.
        """
        rescheduled = guild_id is not None and any(
            existing.endswith(f":{guild_id}") for existing in self._scheduler.job_ids()
        )
        if guild_id is None:
            self._scheduler.every(SWEEP_JOB, self._sweep_seconds, self.sweep)
        for feature in self._features:
            for server, slots in (await feature.weekly_slots(guild_id)).items():
                if not self._owns(server):
                    continue
                for kind, slot in slots.items():
                    job = partial(self._fire, feature, server, kind)
                    self._scheduler.weekly(job_id(kind, server), slot, job)
        if rescheduled and guild_id is not None:
            self.catch_up_soon(guild_id)

    def catch_up_soon(self, guild_id: int) -> None:
        """Start one server's catch-up without waiting for it (claims keep each post to one).

        For a slot moved to a time already past, and for a server that added the bot back
        after a post came due while it was out.
        """
        if not self._owns(guild_id):
            return
        task = asyncio.create_task(self.catch_up(lambda server: server == guild_id))
        self._catching_up.add(task)
        task.add_done_callback(self._catching_up.discard)

    def unschedule(self, guild_id: int) -> None:
        """Drop a server's jobs (it removed the bot, or moved to another process's shard)."""
        self._scheduler.remove(f":{guild_id}")

    async def catch_up(self, owns: Owns | None = None) -> None:
        """Run what was missed (of the servers `owns` accepts, else all of this process's).

        Each feature runs on its own, none blocking another.
        """
        owns = owns or self._owns
        await asyncio.gather(
            *(self._supervised(f, "catch-up", partial(f.catch_up, owns)) for f in self._features)
        )
        log.info("catch-up finished")

    async def settled(self) -> None:
        """Wait for the catch-ups /setup started (what a caller waits on before it counts posts)."""
        await asyncio.gather(*self._catching_up, return_exceptions=True)

    async def stop(self) -> None:
        """Cancel the catch-ups /setup started that are still running (the bot is closing)."""
        for task in list(self._catching_up):
            task.cancel()
        await asyncio.gather(*self._catching_up, return_exceptions=True)

    async def sweep(self) -> None:
        """Finish the posts whose owner's lease ran out, once connected; each feature on its own."""
        try:
            await asyncio.wait_for(self._ready(), self._ready_timeout)
        except TimeoutError:
            return  # the next sweep, or the catch-up after READY, picks them up
        await asyncio.gather(
            *(
                self._supervised(f, "lapsed lease", partial(f.resume_lapsed, self._owns))
                for f in self._features
            )
        )

    async def _supervised(
        self, feature: WeeklyFeature, what: str, runs: Callable[[], Awaitable[Sequence[Outcome]]]
    ) -> None:
        try:
            outcomes = await runs()
        except Exception as error:  # noqa: BLE001 - supervision: log it, the next sweep retries
            log_incident(f"{what} of {type(feature).__name__}", error)
            return
        for outcome in outcomes:
            if outcome.status not in UNEVENTFUL:
                log.info(
                    "%s weekly %s for %s: %s", what, outcome.kind, outcome.guild_id, outcome.status
                )

    async def _fire(self, feature: WeeklyFeature, guild_id: int, kind: str) -> Outcome | None:
        try:
            await asyncio.wait_for(self._ready(), self._ready_timeout)
        except TimeoutError:
            log.warning(
                "weekly %s for %s skipped: not connected after %.0f s (the catch-up runs it)",
                kind,
                guild_id,
                self._ready_timeout,
            )
            return None
        try:
            outcome = await feature.run(guild_id, kind)
        except Exception as error:  # noqa: BLE001 - supervision: log it, next week's job still runs
            log_incident(f"weekly {kind} for {guild_id}", error)
            return None
        log.info("weekly %s for %s: %s", kind, guild_id, outcome.status)
        return outcome
