"""Goal rules: limits, progress, and how progress reads (kind, never a scorecard)."""

from __future__ import annotations

from dataclasses import dataclass

GOAL_TEXT_MAX = 200
TARGET_MIN, TARGET_MAX = 1, 100
BAR_CELLS = 10
BREAK_DAYS_MIN, BREAK_DAYS_MAX, BREAK_DAYS_DEFAULT = 1, 30, 7


def progress_bar(progress: int, target: int, done: bool) -> str:
    """`▰▰▰▱▱▱▱▱▱▱ 3/10` (a goal without a number is only open or done, in words)."""
    filled = BAR_CELLS if done else min(BAR_CELLS, round(progress / target * BAR_CELLS))
    shown = target if done else min(progress, target)
    return "▰" * filled + "▱" * (BAR_CELLS - filled) + f" {shown}/{target}"


def next_progress(progress: int, target: int | None, amount: int) -> tuple[int, bool]:
    """Add `amount`; reaching the target marks the goal done."""
    value = max(0, progress + amount)
    return value, target is not None and value >= target


@dataclass(frozen=True)
class Goal:
    """One goal of one member for one week."""

    id: int
    guild_id: int
    user_id: int
    week: str
    text: str
    target: int | None
    progress: int
    done: bool
    private: bool

    @property
    def finished(self) -> bool:
        """True once marked done, or when a counted goal has reached its target."""
        return self.done or (self.target is not None and self.progress >= self.target)


@dataclass(frozen=True)
class AccountabilitySettings:
    """Where and when one server's weekly thread opens; None fields mean "use the default"."""

    guild_id: int
    channel_id: int
    weekday: str | None
    time: str | None
    checkin_weekday: str | None
    recap_weekday: str | None
    timezone: str | None
