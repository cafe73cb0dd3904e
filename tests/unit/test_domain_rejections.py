"""Rejection rules a member sees: milestones, the streak, the sparkline and group privacy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.rejections import (
    SPARKS,
    is_milestone,
    kept_going_streak,
    sparkline,
    visible,
    weekly_counts,
)

THURSDAY = date(2026, 11, 26)  # ISO week 2026-W48 runs Monday 23 to Sunday 29 November
MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, True),
        (2, False),
        (5, True),
        (10, True),
        (11, False),
        (25, True),
        (50, True),
        (30, False),
    ],
)
def test_milestones_are_the_listed_counts_then_every_n(count: int, expected: bool) -> None:
    assert is_milestone(count, (1, 5, 10, 25), every=25) is expected


def test_no_repeating_milestones_when_every_is_zero() -> None:
    assert not is_milestone(50, (1, 5, 10, 25), every=0)
    assert is_milestone(25, (1, 5, 10, 25), every=0)


def test_weekly_counts_bucket_by_iso_week_oldest_first() -> None:
    per_day = {
        THURSDAY: 3,
        MONDAY: 1,
        MONDAY - timedelta(days=1): 2,
        MONDAY - timedelta(weeks=7): 1,
    }
    counts = weekly_counts(per_day, THURSDAY)
    assert counts == [1, 0, 0, 0, 0, 0, 2, 4]


def test_weekly_counts_ignore_days_outside_the_window() -> None:
    assert weekly_counts({MONDAY - timedelta(weeks=8): 1}, THURSDAY) == [0] * 8


def test_sparkline_scales_to_the_busiest_week() -> None:
    assert sparkline([0, 1, 2, 4]) == SPARKS[0] + SPARKS[2] + SPARKS[4] + SPARKS[7]


def test_sparkline_of_nothing_is_flat_and_full_length() -> None:
    assert sparkline([0] * 8) == SPARKS[0] * 8


def test_streak_counts_weeks_in_a_row_ending_this_week() -> None:
    days = [THURSDAY, MONDAY - timedelta(weeks=1), MONDAY - timedelta(weeks=2)]
    assert kept_going_streak(days, THURSDAY) == 3


def test_streak_is_not_broken_by_a_new_week_without_an_entry_yet() -> None:
    days = [MONDAY - timedelta(days=1), MONDAY - timedelta(days=8)]  # the two weeks before
    assert kept_going_streak(days, MONDAY) == 2


def test_streak_ends_at_a_gap() -> None:
    days = [THURSDAY, MONDAY - timedelta(weeks=2)]
    assert kept_going_streak(days, THURSDAY) == 1
    assert kept_going_streak([], THURSDAY) == 0


@pytest.mark.parametrize(("contributors", "shown"), [(0, False), (2, False), (3, True), (9, True)])
def test_group_figures_need_enough_contributors(contributors: int, shown: bool) -> None:
    assert visible(contributors, min_group_size=3) is shown
