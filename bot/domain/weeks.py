"""Calendar rules in a server's timezone: local days, ISO weeks and their keys.

Rejections are stored by local calendar day only (never an exact time), and
"this week" means the ISO week in the server's zone, keyed like `2026-W48`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, timezone: str) -> date:
    """Return the calendar day at `moment` in `timezone`."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def week_start(day: date) -> date:
    """Return the Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_key(day: date) -> str:
    """`2026-W48` for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_start(day: date) -> date:
    """Return the first day of `day`'s month."""
    return day.replace(day=1)


@dataclass(frozen=True)
class Span:
    """An inclusive range of days; empty when `last` is before `first`."""

    first: date
    last: date

    @property
    def empty(self) -> bool:
        """True when `last` is before `first`: the span holds no day."""
        return self.last < self.first


def completed(span: Span, today: date) -> Span:
    """Only days before today: one member's log today must not move any group figure."""
    return Span(span.first, min(span.last, today - timedelta(days=1)))


def this_week(today: date) -> Span:
    """Return `today`'s ISO week, Monday to Sunday, days still to come included."""
    start = week_start(today)
    return Span(start, start + timedelta(days=6))


def last_week(today: date) -> Span:
    """Return the ISO week before `today`'s, Monday to Sunday."""
    start = week_start(today) - timedelta(days=7)
    return Span(start, start + timedelta(days=6))


def this_month(today: date) -> Span:
    """Return `today`'s calendar month, first to last day, days still to come included."""
    following = (month_start(today) + timedelta(days=32)).replace(day=1)
    return Span(month_start(today), following - timedelta(days=1))
