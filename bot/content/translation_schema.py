"""The shape of one language's folder, content/locales/<code>/ (README: Languages).

Every file is optional and every key in it too: what a language leaves out is
shown in English, whole message by whole message. What a file does say is held
to the same limits as the English it stands for, plus Discord's own rules for
the names in the command picker.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.content.messages import Messages
from bot.content.schema import REFLECT_MAX, TIP_TEXT_MAX, TipText, TopicText, text_limit
from bot.content.support_schema import SupportMessages

COMMAND_NAME_MAX = 32
DESCRIPTION_MAX = 100
CHOICE_NAME_MAX = 100


def command_name_problem(name: str) -> str | None:
    """Check Discord's rule for command and option names: 1-32 of -, _, letters, digits; lowercase.

    Letters and digits are any script's (Discord's pattern takes any letter or
    number, plus the combining marks of Devanagari and Thai).
    """
    if not 1 <= len(name) <= COMMAND_NAME_MAX:
        return f"must be 1 to {COMMAND_NAME_MAX} characters, got {len(name)}"
    for char in name:
        kind = unicodedata.category(char)
        marks = kind.startswith("M") and unicodedata.name(char, "").startswith(
            ("DEVANAGARI", "THAI")
        )
        if char not in "-_" and not kind.startswith(("L", "N")) and not marks:
            return f"may hold only letters, digits, - and _ (no spaces), got {char!r}"
    if name != name.lower():
        return "must be lowercase"
    return None


def _description(value: str) -> str | None:
    return text_limit(DESCRIPTION_MAX)(value)


def _choices(value: Mapping[str, str]) -> str | None:
    for choice, shown in value.items():
        problem = text_limit(CHOICE_NAME_MAX)(shown)
        if problem:
            return f"choice '{choice}' {problem}"
    return None


@dataclass(frozen=True)
class LocaleInfo:
    """locale.yaml: the language's own name, and whether it promises to be complete."""

    name: str = field(metadata={"check": text_limit(60)})
    complete: bool = False


@dataclass(frozen=True)
class OptionText:
    """An option in the picker: its name, description and the names of its choices."""

    name: str = field(metadata={"check": command_name_problem})
    description: str = field(metadata={"check": _description})
    choices: dict[str, str] = field(default_factory=dict, metadata={"check": _choices})
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class CommandText:
    """A command, group or subcommand in the picker (`name` is its own segment only)."""

    name: str = field(metadata={"check": command_name_problem})
    description: str = field(metadata={"check": _description})
    options: dict[str, OptionText] = field(default_factory=dict)
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class TopicTranslation:
    """topics.yaml: a topic's name and description (the emoji is shared)."""

    name: str = field(metadata={"check": text_limit(60)})
    description: str = field(metadata={"check": text_limit(200)})
    line: int = field(default=0, metadata={"line": True})

    def text(self) -> TopicText:
        """As the library's shape for a topic in one language."""
        return TopicText(self.name, self.description)


@dataclass(frozen=True)
class TipTranslation:
    """tips/<topic>.yaml: a tip's text and, where the English has one, its reflect question."""

    text: str = field(metadata={"check": text_limit(TIP_TEXT_MAX)})
    reflect: str | None = field(default=None, metadata={"check": text_limit(REFLECT_MAX)})
    line: int = field(default=0, metadata={"line": True})

    def tip_text(self) -> TipText:
        """As the library's shape for a tip in one language."""
        return TipText(self.text, self.reflect)


@dataclass(frozen=True)
class GroundingText:
    """support.yaml `grounding:`: an exercise's name and its steps (as many as the English)."""

    name: str = field(metadata={"check": text_limit(60)})
    steps: tuple[str, ...] = ()
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class RegionText:
    """support.yaml `regions:`: a region's display name (the crisis lines are facts, not words)."""

    name: str = field(metadata={"check": text_limit(60)})


@dataclass(frozen=True)
class Translation:
    """Everything one language folder says, validated against the English it translates."""

    code: str
    info: LocaleInfo
    messages: Messages
    given_messages: frozenset[str]
    topics: Mapping[str, TopicText]
    tips: Mapping[str, TipText]
    commands: Mapping[str, CommandText]


@dataclass(frozen=True)
class SupportTranslation:
    """One language's support.yaml: wording, grounding exercises and region names."""

    code: str
    messages: SupportMessages
    given_messages: frozenset[str]
    grounding: Mapping[str, GroundingText]
    regions: Mapping[str, str]
