"""When a weekly post is due, in a server's own timezone, across daylight-saving changes.

APScheduler fires the jobs in production; these pure functions decide what
counts as "this week's run", what a missed run is, and when the next run is,
so catching up after downtime and tests with a moved clock agree with cron.
A post's progress records how far its exactly-once claim (a lease) got.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.weeks import week_key

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Weekly:
    """A weekday and local time in an IANA timezone."""

    weekday: str
    time: str  # "HH:MM"
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        """`timezone` as a ZoneInfo, for local-time arithmetic."""
        return ZoneInfo(self.timezone)

    @property
    def clock_time(self) -> dt.time:
        """The local time of day, parsed from `time`."""
        hours, minutes = self.time.split(":")
        return dt.time(int(hours), int(minutes))

    def at(self, day: date) -> datetime:
        """Return the aware moment this slot happens on local `day` (gaps resolve forward)."""
        local = datetime.combine(day, self.clock_time, tzinfo=self.zone)
        # A wall time inside a spring-forward gap does not exist; zoneinfo maps it
        # consistently, and a round trip through UTC lands on the real instant.
        return local.astimezone(ZoneInfo("UTC")).astimezone(self.zone)


def last_due(slot: Weekly, now: datetime) -> datetime:
    """Return the most recent due moment at or before `now`."""
    today = now.astimezone(slot.zone).date()
    offset = (today.weekday() - WEEKDAYS.index(slot.weekday)) % 7
    candidate = slot.at(today - timedelta(days=offset))
    if candidate.timestamp() > now.timestamp():  # instants, not wall times
        candidate = slot.at(today - timedelta(days=offset + 7))
    return candidate


def next_due(slot: Weekly, now: datetime) -> datetime:
    """Return the first due moment strictly after `now`."""
    previous = last_due(slot, now)
    return slot.at(previous.astimezone(slot.zone).date() + timedelta(days=7))


def due_week(slot: Weekly, due: datetime) -> str:
    """Return the ISO week key (in the server's zone) that a due moment belongs to."""
    return week_key(due.astimezone(slot.zone).date())


class NextWeeks:
    """The week of each slot's next due moment, remembered until that moment passes.

    Every /win and /wins asks which celebration a win belongs to; the answer changes
    once a week per server, and working it out takes several time-zone conversions.
    Keyed by the slot itself, so a server that changes its schedule gets a new answer.
    """

    def __init__(self) -> None:
        self._known: dict[Weekly, tuple[float, float, str]] = {}  # slot -> (last, next, week)

    def of(self, slot: Weekly, now: datetime) -> str:
        """Return `due_week(slot, next_due(slot, now))`."""
        moment = now.timestamp()
        known = self._known.get(slot)
        if known is not None and known[0] <= moment < known[1]:
            return known[2]
        last = last_due(slot, now)
        due = slot.at(last.astimezone(slot.zone).date() + timedelta(days=7))
        week = due_week(slot, due)
        self._known[slot] = (last.timestamp(), due.timestamp(), week)
        return week


def within_grace(due: datetime, now: datetime, grace: timedelta) -> bool:
    """Return True when a run that should have happened at `due` may still happen at `now`."""
    late = now.timestamp() - due.timestamp()
    return 0 <= late <= grace.total_seconds()


@dataclass(frozen=True)
class PostKey:
    """One weekly post of one server: what a lease is taken on and a nonce derived from."""

    guild_id: int
    kind: str
    week: str


@dataclass(frozen=True)
class PostProgress:
    """A claim's state and what was recorded so far (None or empty until known)."""

    status: str  # claimed | opened | sent | failed | skipped
    message_id: int | None
    thread_id: int | None
    parts: tuple[int, ...] = ()  # message ids of the parts sent, in order, without gaps
    upto: int | None = None  # the newest row the post covers, so a resumed run composes the same

    @property
    def unfinished(self) -> bool:
        """True while the claim has not reached an end (sent, failed, skipped): resumable."""
        return self.status in ("claimed", "opened")


@dataclass(frozen=True)
class Claim:
    """A lease just taken: fresh (nobody began this post) or taken over from a lapsed owner."""

    fresh: bool
    progress: PostProgress
