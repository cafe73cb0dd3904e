"""APScheduler wiring: one cron job per server and weekly post, rebuilt from settings.

One in-memory AsyncIOScheduler for the whole bot. Jobs are derived from the
servers' settings at start and after /setup, so nothing about the schedule is
stored twice; what makes a post happen exactly once is the claim in the
database, not the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.domain.schedule import Weekly

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]
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
    """A cron trigger firing at the slot's local weekday and time, DST-aware."""
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

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    async def fire(self, job_id: str) -> object:
        """Run a job's function now, as cron would (tests and the demo move a fake clock)."""
        job = self._scheduler.get_job(job_id)
        if job is None:
            raise KeyError(job_id)
        return await job.func()
