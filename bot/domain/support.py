"""Pure rules for /support: whose lines to show, how grounding advances, what a plan holds.

The choices that matter most on someone's worst day live here, where they are
tested directly: there is always a list of lines (the international directory
when nothing else fits), never more than three, and the steps only move when
the member presses a button.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Literal, TypeVar

from bot.domain.locales import pick_locale
from bot.domain.text import TextProblem, check_text

T = TypeVar("T")

INTERNATIONAL = "international"
MAX_LINES = 3
PLAN_FIELD_MAX = 1000
NOTE_MAX = 200

RegionSource = Literal["option", "locale", "fallback"]


@dataclass(frozen=True)
class RegionPick:
    """Which region's lines to show, and why."""

    code: str
    source: RegionSource
    #: The member named a region we have no lines for (say so, kindly).
    unknown_option: bool = False


def match_region(typed: str, names: Mapping[str, str]) -> str | None:
    """Return the region code for what was typed: a code (any case) or a region's name."""
    wanted = typed.strip().casefold()
    for code, name in names.items():
        if wanted in (code.casefold(), name.casefold()):
            return code
    return None


def resolve_region(
    option: str | None,
    locale: str | None,
    names: Mapping[str, str],
    by_locale: Mapping[str, str],
) -> RegionPick:
    """Pick the member's choice, else their Discord language, else the international list."""
    if option and option.strip():
        code = match_region(option, names)
        if code is not None:
            return RegionPick(code, "option")
        return RegionPick(INTERNATIONAL, "fallback", unknown_option=True)
    best = pick_locale(by_locale.keys(), locale)
    if best is not None and by_locale[best] in names:
        return RegionPick(by_locale[best], "locale")
    return RegionPick(INTERNATIONAL, "fallback")


def region_choices(typed: str, names: Mapping[str, str], limit: int = 25) -> list[str]:
    """Region codes whose code or name contains what was typed, by name, international last."""
    wanted = typed.strip().casefold()
    found = [
        code
        for code, name in names.items()
        if wanted in name.casefold() or wanted in code.casefold()
    ]
    found.sort(key=lambda code: (code == INTERNATIONAL, names[code].casefold()))
    return found[:limit]


def first_lines(lines: Sequence[T]) -> tuple[T, ...]:
    """Keep the first few lines: a short list helps more people than a wall of numbers."""
    return tuple(lines[:MAX_LINES])


@dataclass(frozen=True)
class StepPosition:
    """Where a member is in a grounding exercise."""

    index: int
    total: int

    @property
    def number(self) -> int:
        """The step's number as a member sees it, counting from 1."""
        return self.index + 1

    @property
    def is_last(self) -> bool:
        """True on the final step (or past it)."""
        return self.index >= self.total - 1


def step_at(index: int, total: int) -> StepPosition:
    """Clamp a step taken from a button (an edit may have shortened the exercise)."""
    if total < 1:
        raise ValueError("an exercise needs at least one step")
    return StepPosition(min(max(index, 0), total - 1), total)


def next_exercise(ids: Sequence[str], current: str) -> str:
    """Return the exercise after `current`, wrapping round; the first one when `current` is unknown."""
    if not ids:
        raise ValueError("there are no exercises")
    if current not in ids:
        return ids[0]
    return ids[(ids.index(current) + 1) % len(ids)]


@dataclass(frozen=True)
class SupportPlan:
    """A member's personal plan; any part may be empty."""

    warning_signs: str = ""
    what_helps: str = ""
    people: str = ""
    reasons: str = ""

    @property
    def is_empty(self) -> bool:
        """True when every part is blank."""
        return not any(self.parts().values())

    def parts(self) -> dict[str, str]:
        """Field name to text, in the order the form shows them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


PLAN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SupportPlan))


@dataclass(frozen=True)
class PlanCheck:
    """A tidied plan, or the first part that is too long."""

    plan: SupportPlan
    too_long: str | None = None
    length: int = 0


def check_plan(values: Mapping[str, str], limit: int = PLAN_FIELD_MAX) -> PlanCheck:
    """Tidy each part; refuse any part over `limit` (crafted payloads skip the form's limit)."""
    tidy: dict[str, str] = {}
    for name in PLAN_FIELDS:
        result = check_text(values.get(name, ""), limit)
        if result.problem is TextProblem.TOO_LONG:
            return PlanCheck(SupportPlan(), name, result.length)
        tidy[name] = result.text
    return PlanCheck(SupportPlan(**tidy))


@dataclass(frozen=True)
class SupportLine:
    """A server's own place to turn: a channel, a role to contact, and a short note."""

    channel_id: int | None = None
    role_id: int | None = None
    note: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when the server has set no channel, role or note."""
        return self.channel_id is None and self.role_id is None and not self.note
