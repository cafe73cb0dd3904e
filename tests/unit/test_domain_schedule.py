"""Weekly due times across timezones and daylight saving, and celebration composition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.accountability import next_progress, progress_bar
from bot.domain.celebration import CelebrationPart, WinLine, compose
from bot.domain.schedule import NextWeeks, Weekly, due_week, last_due, next_due, within_grace
from bot.scheduling import weekly_trigger
from bot.services.guild_setup import matching_timezones

BERLIN = Weekly("friday", "17:00", "Europe/Berlin")
NEW_YORK = Weekly("friday", "17:00", "America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("slot", "now", "expected"),
    [
        (BERLIN, utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 16, 0)),  # exactly due (CET = UTC+1)
        (BERLIN, utc(2026, 11, 27, 15, 59), utc(2026, 11, 20, 16, 0)),  # a minute early
        (NEW_YORK, utc(2026, 11, 27, 22, 30), utc(2026, 11, 27, 22, 0)),  # EST = UTC-5
        (NEW_YORK, utc(2026, 11, 27, 21, 0), utc(2026, 11, 20, 22, 0)),
    ],
)
def test_last_due_in_the_servers_zone(slot: Weekly, now: datetime, expected: datetime) -> None:
    assert last_due(slot, now) == expected


def test_spring_forward_keeps_local_time() -> None:
    before = last_due(BERLIN, utc(2027, 3, 26, 16, 30))  # 26 Mar 2027: still CET
    after = next_due(BERLIN, utc(2027, 3, 26, 16, 30))  # 2 Apr 2027: CEST (UTC+2)
    assert before == utc(2027, 3, 26, 16, 0)
    assert after == utc(2027, 4, 2, 15, 0)
    assert after.astimezone(BERLIN.zone).hour == 17


def test_autumn_back_keeps_local_time() -> None:
    ny = next_due(NEW_YORK, utc(2026, 10, 31, 12, 0))  # US clocks go back on 1 Nov 2026
    assert ny == utc(2026, 11, 6, 22, 0)
    assert ny.astimezone(NEW_YORK.zone).hour == 17
    assert next_due(NEW_YORK, utc(2026, 10, 25, 12, 0)) == utc(2026, 10, 30, 21, 0)


@pytest.mark.parametrize(
    "now",
    [utc(2027, 3, 20, 12), utc(2027, 3, 27, 12), utc(2026, 10, 24, 12), utc(2026, 10, 31, 12)],
)
def test_domain_agrees_with_the_cron_trigger(now: datetime) -> None:
    for slot in (BERLIN, NEW_YORK, Weekly("sunday", "02:30", "Europe/Berlin")):
        fire = weekly_trigger(slot).get_next_fire_time(None, now)
        # Compare instants: equal wall times in one zone compare naively in Python.
        assert fire.timestamp() == next_due(slot, now).timestamp()


def test_week_key_and_grace() -> None:
    due = last_due(BERLIN, utc(2026, 11, 27, 18, 0))
    assert due_week(BERLIN, due) == "2026-W48"
    assert within_grace(due, due + timedelta(hours=12), timedelta(hours=12))
    assert not within_grace(due, due + timedelta(hours=12, seconds=1), timedelta(hours=12))


def test_compose_keeps_every_win_and_splits_at_the_limit() -> None:
    wins = [WinLine(f"win number {n} " + "x" * 250, "<@1>" if n % 2 else None) for n in range(40)]
    parts = compose(
        "Wins", "Hello.", wins, "And 7 applications that took courage.", "Bye.", limit=4096
    )
    assert len(parts) >= 3
    assert all(len(p.description) <= 4096 for p in parts)
    text = "\n".join(p.description for p in parts)
    for n in range(40):
        assert f"win number {n} " in text
    assert parts[0].title == "Wins"
    assert parts[1].title == "Wins (continued)"
    assert text.startswith("Hello.")
    assert text.endswith("Bye.")


def test_compose_a_short_week_in_one_part() -> None:
    parts = compose("Wins", "Hi.", [WinLine("sent a CV", None)], None, "Bye.")
    assert parts == [CelebrationPart("Wins", "Hi.\n\n• sent a CV\n\nBye.")]


def test_progress_bars_read_kindly() -> None:
    assert progress_bar(0, 5, done=False) == "▱▱▱▱▱▱▱▱▱▱ 0/5"
    assert progress_bar(3, 5, done=False) == "▰▰▰▰▰▰▱▱▱▱ 3/5"
    assert progress_bar(7, 5, done=False) == "▰▰▰▰▰▰▰▰▰▰ 5/5"
    assert next_progress(4, 5, 1) == (5, True)
    assert next_progress(1, 5, -3) == (0, False)
    assert next_progress(2, None, 1) == (3, False)


def test_timezone_suggestions_for_setup() -> None:
    assert matching_timezones("madr")[0] == "Europe/Madrid"
    assert matching_timezones("new york")[0] == "America/New_York"
    assert len(matching_timezones("a")) == 25
    assert "UTC" in matching_timezones("")


def test_the_remembered_next_week_always_matches_working_it_out_again() -> None:
    """Across DST changes, week ends and a clock set back, the memo never goes stale."""
    weeks = NextWeeks()
    slots = [
        Weekly("friday", "17:00", "Europe/Berlin"),
        Weekly("sunday", "02:30", "America/New_York"),  # inside the spring-forward gap
        Weekly("monday", "00:00", "Pacific/Auckland"),
    ]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    moments = [start + timedelta(hours=7 * n) for n in range(400)]  # ~4 months, every 7 h
    moments += list(reversed(moments[::13]))  # and a clock set back, in jumps
    for now in moments:
        for slot in slots:
            assert weeks.of(slot, now) == due_week(slot, next_due(slot, now)), (slot, now)
