"""The accountability feature's three weekly posts, and when each is due in a server.

The opening makes the week's thread; the check-in and the recap post in it.
Shared by the service that runs them and by /setup, which shows their next runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Config
from bot.domain.accountability import AccountabilitySettings
from bot.domain.schedule import Weekly, due_week, last_due, within_grace
from bot.services.accountability import THREAD_KIND
from bot.services.weekly_runs import Problem

OPEN, CHECKIN, RECAP = THREAD_KIND, "checkin", "recap"
KINDS = (OPEN, CHECKIN, RECAP)  # the order a catch-up runs them in: the thread comes first
# Not a delivery problem: the check-in waits (like a retry) while another run opens the thread.
OPENING = Problem("thread-opening", transient=True)  # never shown: a wait ends in a skip


def weekly_slots(s: AccountabilitySettings, config: Config) -> dict[str, Weekly]:
    """Return the opening, check-in and recap slots, with config defaults for what is unset."""
    defaults = config.schedule
    zone = s.timezone or defaults.timezone
    time = s.time or defaults.accountability.time
    return {
        OPEN: Weekly(s.weekday or defaults.accountability.weekday, time, zone),
        CHECKIN: Weekly(s.checkin_weekday or defaults.checkin_weekday, time, zone),
        RECAP: Weekly(s.recap_weekday or defaults.recap_weekday, time, zone),
    }


@dataclass(frozen=True)
class WeeklyOutcome:
    """What one weekly run did, for the scheduler's log; `week` is None when not set up."""

    guild_id: int
    kind: str
    week: str | None
    status: str  # sent | failed | skipped | not-due | already-claimed | not-set-up | lease-lost


def opening_due(slots: dict[str, Weekly], week: str, now: datetime, grace: timedelta) -> bool:
    """Tell whether `week`'s opening is due at `now` and still within its grace."""
    due = last_due(slots[OPEN], now)
    return due_week(slots[OPEN], due) == week and within_grace(due, now, grace)
