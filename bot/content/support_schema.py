"""The shape of content/support.yaml: grounding exercises, crisis lines by region, and wording.

The rules are stricter than for tips because the stakes are higher: a crisis
line without a way to reach it is worse than no line, a wall of numbers helps
fewer people than a short list (so at most three per region), and a message
with a placeholder the bot cannot fill would fail in front of someone on a bad
day. Discord's own limits (45 characters for modal titles and labels, 100 for
placeholders) are checked here so an edit cannot break the plan form.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.content.messages import Variants, voice
from bot.content.schema import check_id, check_locales, text_limit
from bot.domain.locales import pick_locale

MAX_LINES_PER_REGION = 3
STEP_MAX = 300
STEPS_MIN, STEPS_MAX = 2, 8
EXERCISE_ID_MAX = 40


def _label(limit: int) -> dict[str, Any]:
    return {"check": text_limit(limit)}


def _reach(value: str) -> str | None:
    if not value.strip():
        return "must say how to reach this line (a number, a text code or a link)"
    return text_limit(200)(value)


def _iso_date(value: str) -> str | None:
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"must be a date written as YYYY-MM-DD, got {value!r}"
    return None


def _lines(value: tuple[object, ...]) -> str | None:
    if not value:
        return "must list at least one crisis line"
    if len(value) > MAX_LINES_PER_REGION:
        return (
            f"lists {len(value)} lines; at most {MAX_LINES_PER_REGION} are shown, "
            "so keep the most useful ones"
        )
    return None


def _steps(value: tuple[str, ...]) -> str | None:
    if not STEPS_MIN <= len(value) <= STEPS_MAX:
        return f"needs between {STEPS_MIN} and {STEPS_MAX} steps, got {len(value)}"
    for number, step in enumerate(value, start=1):
        problem = text_limit(STEP_MAX)(step)
        if problem:
            return f"step {number} {problem}"
    return None


def _exercise_id(value: str) -> str | None:
    """Ids ride in button custom ids, which Discord caps at 100 characters."""
    if len(value) > EXERCISE_ID_MAX:
        return f"must be at most {EXERCISE_ID_MAX} characters, got {len(value)}"
    return check_id(value)


def _not_empty(value: tuple[object, ...]) -> str | None:
    return None if value else "needs at least one exercise"


@dataclass(frozen=True)
class SupportMessages:
    """Everything /support and /setup support say, so moderators can change the tone."""

    home_title: str = field(metadata=_label(100))
    home_intro: Variants = field(metadata=voice())
    home_after_grounding: Variants = field(metadata=voice())
    disclaimer: Variants = field(metadata=voice())
    disclaimer_with_number: Variants = field(metadata=voice("region", "number"))
    button_ground: str = field(metadata=_label(40))
    button_plan: str = field(metadata=_label(40))
    button_talk: str = field(metadata=_label(40))
    button_next: str = field(metadata=_label(40))
    button_done: str = field(metadata=_label(40))
    button_another: str = field(metadata=_label(40))
    button_back: str = field(metadata=_label(40))
    button_edit_plan: str = field(metadata=_label(40))
    ground_progress: Variants = field(metadata=voice("step", "total"))
    ground_last: Variants = field(metadata=voice("step", "total"))
    plan_title: str = field(metadata=_label(45))
    plan_warning_signs: str = field(metadata=_label(45))
    plan_warning_signs_hint: str = field(metadata=_label(100))
    plan_what_helps: str = field(metadata=_label(45))
    plan_what_helps_hint: str = field(metadata=_label(100))
    plan_people: str = field(metadata=_label(45))
    plan_people_hint: str = field(metadata=_label(100))
    plan_reasons: str = field(metadata=_label(45))
    plan_reasons_hint: str = field(metadata=_label(100))
    plan_intro: Variants = field(metadata=voice())
    plan_empty: Variants = field(metadata=voice())
    plan_saved: Variants = field(metadata=voice())
    plan_deleted: Variants = field(metadata=voice())
    plan_too_long: Variants = field(metadata=voice("field", "length", "limit"))
    talk_title: str = field(metadata=_label(100))
    talk_intro: Variants = field(metadata=voice())
    talk_server_heading: str = field(metadata=_label(100))
    talk_server_channel: Variants = field(metadata=voice("channel"))
    talk_server_role: Variants = field(metadata=voice("role"))
    talk_server_unset: Variants = field(metadata=voice())
    talk_region_hint: Variants = field(metadata=voice())
    talk_region_unknown: Variants = field(metadata=voice())
    not_yours: Variants = field(metadata=voice())
    setup_not_admin: Variants = field(metadata=voice())
    setup_saved: Variants = field(metadata=voice())
    setup_cleared: Variants = field(metadata=voice())
    setup_note_empty: Variants = field(metadata=voice())
    setup_note_too_long: Variants = field(metadata=voice("length", "limit"))
    setup_show_title: str = field(metadata=_label(100))
    setup_support_label: str = field(metadata=_label(100))
    setup_support_unset: Variants = field(metadata=voice())

    def pick(self, key: str, chooser: random.Random | None = None, **values: object) -> str:
        """One variant of `key`, with `{placeholders}` filled in."""
        options: Variants = getattr(self, key)
        text = (chooser or random).choice(options)
        # Always formatted, so {{ and }} mean a brace in every message alike.
        return text.format(**values)


@dataclass(frozen=True)
class CrisisLine:
    """One service people can reach, and when someone last checked it still works."""

    name: str = field(metadata={"check": text_limit(100)})
    reach: str = field(metadata={"check": _reach})
    last_reviewed: str = field(metadata={"check": _iso_date})
    hours: str | None = field(default=None, metadata={"check": text_limit(80)})
    line: int = field(default=0, metadata={"line": True})

    @property
    def reviewed_on(self) -> date:
        """`last_reviewed` as a date (the file's check has already proved it parses)."""
        return date.fromisoformat(self.last_reviewed)


@dataclass(frozen=True)
class Region:
    """A country's lines (keyed by ISO code in the file), or the international directory."""

    name: str = field(metadata={"check": text_limit(60)})
    lines: tuple[CrisisLine, ...] = field(metadata={"check": _lines})
    emergency: str | None = field(default=None, metadata={"check": text_limit(20)})
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class GroundingExercise:
    """A one-minute exercise, shown one step per button press and never timed."""

    id: str = field(metadata={"check": _exercise_id})
    name: str = field(metadata={"check": text_limit(60)})
    steps: tuple[str, ...] = field(metadata={"check": _steps})
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class SupportContent:
    """content/support.yaml as a whole, validated."""

    messages: SupportMessages
    grounding: tuple[GroundingExercise, ...] = field(metadata={"check": _not_empty})
    regions: dict[str, Region]
    locales: dict[str, str] = field(default_factory=dict, metadata={"check": check_locales})
    # Filled from content/locales/<code>/support.yaml: code -> SupportTranslation, and
    # code -> this content as that language shows it.
    translations: Mapping[str, Any] = field(default_factory=dict, metadata={"internal": True})
    languages: Mapping[str, SupportContent] = field(
        default_factory=dict, metadata={"internal": True}
    )

    def in_language(self, locale: str | None) -> SupportContent:
        """Return the content as a member on `locale` sees it (English where untranslated)."""
        code = pick_locale(self.languages.keys(), locale)
        return self.languages[code] if code else self
