"""The demo transcript shows Discord's relative timestamps with their real count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo.transcript import relative_time

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=7), "in 7 days"),
        (timedelta(days=5, hours=8), "in 5 days"),
        (timedelta(days=1), "in 1 day"),
        (timedelta(hours=3), "in 3 hours"),
        (timedelta(hours=1, minutes=59), "in 1 hour"),
        (timedelta(minutes=2), "in 2 minutes"),
        (timedelta(seconds=30), "in 30 seconds"),
        (timedelta(0), "now"),
        (-timedelta(days=2), "2 days ago"),
        (-timedelta(minutes=1), "1 minute ago"),
    ],
)
def test_relative_time_says_the_exact_count(delta: timedelta, expected: str) -> None:
    assert relative_time(NOW + delta, NOW) == expected
