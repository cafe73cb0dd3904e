"""APScheduler wiring; features add per-guild cron jobs here as they arrive.

One in-memory AsyncIOScheduler for the whole bot: jobs are rebuilt from guild
settings at start, so nothing about the schedule has to be persisted twice.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


class Scheduler:
    """Owns the APScheduler instance and its lifecycle."""

    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(job_defaults={"coalesce": True, "max_instances": 1})

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
