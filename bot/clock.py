"""Where all "now" comes from, so tests and the demo can move time instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current aware UTC time."""

    def now(self) -> datetime:
        """Return the current moment, aware and in UTC."""


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        """Read the wall clock."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to; used by tests and the offline demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the time last set or advanced to; it never moves on its own."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward; moving backwards would break "exactly once" reasoning."""
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self._now += delta
        return self._now

    def set(self, when: datetime) -> datetime:
        """Jump to an aware moment at or after the current one."""
        return self.advance(when.astimezone(UTC) - self._now)
