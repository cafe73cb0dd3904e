"""Calendar rules: local days in a server's zone, ISO week keys and finished-day spans."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.weeks import (
    Span,
    completed,
    last_week,
    local_day,
    month_start,
    this_month,
    this_week,
    week_key,
    week_start,
)


def test_local_day_follows_the_server_zone_across_midnight() -> None:
    moment = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert local_day(moment, "UTC") == date(2026, 11, 27)
    assert local_day(moment, "Europe/Berlin") == date(2026, 11, 28)
    assert local_day(moment, "America/Los_Angeles") == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 11, 29), "2026-W48"),  # a Sunday closes its ISO week
        (date(2026, 11, 30), "2026-W49"),
        (date(2027, 1, 1), "2026-W53"),  # ISO years straddle new year
        (date(2026, 1, 5), "2026-W02"),
    ],
)
def test_week_keys_are_iso_weeks(day: date, key: str) -> None:
    assert week_key(day) == key


def test_week_start_is_monday() -> None:
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_spans_for_this_and_last_week_and_month() -> None:
    today = date(2026, 11, 26)
    assert this_week(today) == Span(date(2026, 11, 23), date(2026, 11, 29))
    assert last_week(today) == Span(date(2026, 11, 16), date(2026, 11, 22))
    assert this_month(today) == Span(date(2026, 11, 1), date(2026, 11, 30))
    assert this_month(date(2026, 12, 31)).last == date(2026, 12, 31)
    assert month_start(today) == date(2026, 11, 1)


def test_completed_keeps_only_finished_days() -> None:
    monday = date(2026, 11, 23)
    assert completed(this_week(monday), monday).empty  # nothing finished yet on Monday
    assert completed(this_week(date(2026, 11, 25)), date(2026, 11, 25)) == Span(
        monday, date(2026, 11, 24)
    )
    assert not completed(last_week(monday), monday).empty
