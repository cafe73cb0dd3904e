"""Rules for rejection counts: stages, milestones, streaks, sparklines and group privacy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from bot.domain.tips import TipCard
from bot.domain.weeks import week_start

# The one list of stages: the /rejection choices, the stored values and (less
# "other", plus "any") the tags a tip may carry in the content files.
Stage = Literal["application", "screening", "interview", "final-round", "offer-withdrawn", "other"]
STAGES: tuple[Stage, ...] = get_args(Stage)
SPARKS = "▁▂▃▄▅▆▇█"


def is_milestone(count: int, counts: Sequence[int], every: int) -> bool:
    """1st, 5th, 10th ... as configured, then every `every` after the last listed one."""
    if count in counts:
        return True
    last = max(counts, default=0)
    return every > 0 and count > last and count % every == 0


def weekly_counts(per_day: Mapping[date, int], today: date, weeks: int = 8) -> list[int]:
    """Entries per ISO week for the last `weeks` weeks, oldest first, this week last.

    `per_day` is how many entries each day has (the store counts them, one row a day).
    """
    current = week_start(today)
    starts = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    index = {start: i for i, start in enumerate(starts)}
    counts = [0] * weeks
    for day, count in per_day.items():
        slot = index.get(week_start(day))
        if slot is not None:
            counts[slot] += count
    return counts


def sparkline(counts: Sequence[int]) -> str:
    """Eight-level bars; an empty week is the lowest bar, so the shape stays readable."""
    peak = max(counts, default=0)
    if peak == 0:
        return SPARKS[0] * len(counts)
    return "".join(SPARKS[round(c / peak * (len(SPARKS) - 1))] for c in counts)


def kept_going_streak(days: Iterable[date], today: date) -> int:
    """Count the weeks in a row with at least one entry, ending this week or last week.

    Last week counts as the end so that a new week without an entry yet does not break it.
    """
    weeks = {week_start(day) for day in days}
    cursor = week_start(today)
    if cursor not in weeks:
        cursor -= timedelta(weeks=1)
    streak = 0
    while cursor in weeks:
        streak += 1
        cursor -= timedelta(weeks=1)
    return streak


def visible(contributors: int, min_group_size: int) -> bool:
    """Allow a group figure only when enough different members stand behind it."""
    return contributors >= min_group_size


@dataclass(frozen=True)
class Logged:
    """Outcome of a log attempt; `accepted` is False when the daily limit was reached."""

    accepted: bool
    today: int
    week: int
    total: int


@dataclass(frozen=True)
class GroupFigure:
    """A group total and how many different members contributed to it."""

    entries: int
    contributors: int


@dataclass(frozen=True)
class GroupLine:
    """One group figure, or None when too few members stand behind it."""

    label: str
    figure: GroupFigure | None


@dataclass(frozen=True)
class LogReceipt:
    """What the member sees after logging."""

    acknowledgement: str
    counts: str
    milestone: str | None
    tip: TipCard | None
    support: str | None


@dataclass(frozen=True)
class RejectionStats:
    """A member's own numbers and the group's visible aggregates."""

    week: int
    month: int
    total: int
    by_stage: dict[str, int]
    streak: int
    sparkline: str
    group: list[GroupLine]
    hidden_note: str
