"""The shape of the content files: what a topic, a tip and a translation may hold.

Limits here are the product's promises: a tip fits on a phone screen without
scrolling (400 characters), a reflect question is one breath (200), and only
Discord's own locale codes are accepted so a translation can actually be shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.domain.locales import DISCORD_LOCALES
from bot.domain.rejections import STAGES

# A tip is tagged with the stages it helps after; "any" fits every stage, and
# "other" is no help to pick a tip, so it is not a tag.
TIP_TAGS: tuple[str, ...] = (*(stage for stage in STAGES if stage != "other"), "any")
if TYPE_CHECKING:
    TipTag = str
else:
    TipTag = Literal[TIP_TAGS]  # the binder reads the allowed values from the Literal
TIP_TEXT_MAX = 400
REFLECT_MAX = 200
TOPIC_NAME_MAX = 60
TOPIC_DESCRIPTION_MAX = 200
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_id(value: str) -> str | None:
    """Ids are stable references, so keep them to plain lowercase words and hyphens."""
    if len(value) > 64 or not _ID.match(value):
        return f"must be lowercase letters, digits and hyphens (at most 64), got {value!r}"
    return None


TextCheck = Callable[[str], str | None]


def text_limit(limit: int) -> TextCheck:
    """Build a binder check: non-empty and at most `limit` characters after trimming."""

    def check(value: str) -> str | None:
        if not value.strip():
            return "must not be empty"
        if len(value.strip()) > limit:
            return f"is {len(value.strip())} characters long; the limit is {limit}"
        return None

    return check


def check_locales(value: Mapping[str, object]) -> str | None:
    """Only Discord locale codes can ever be matched to a member."""
    unknown = sorted(code for code in value if code not in DISCORD_LOCALES)
    if unknown:
        return f"has unknown locale code {unknown[0]!r} (use Discord's codes such as es-ES, fr, de)"
    return None


@dataclass(frozen=True)
class TopicText:
    """A topic's name and description in one language."""

    name: str = field(metadata={"check": text_limit(TOPIC_NAME_MAX)})
    description: str = field(metadata={"check": text_limit(TOPIC_DESCRIPTION_MAX)})


@dataclass(frozen=True)
class Topic:
    """A group of tips, shown by name and picked in /tip's autocomplete."""

    id: str = field(metadata={"check": check_id})
    name: str = field(metadata={"check": text_limit(TOPIC_NAME_MAX)})
    description: str = field(metadata={"check": text_limit(TOPIC_DESCRIPTION_MAX)})
    emoji: str | None = None
    # Filled from content/locales/<code>/topics.yaml, never written here.
    locales: dict[str, TopicText] = field(default_factory=dict, metadata={"internal": True})
    line: int = field(default=0, metadata={"line": True})


@dataclass(frozen=True)
class TipText:
    """A tip's words in one language."""

    text: str = field(metadata={"check": text_limit(TIP_TEXT_MAX)})
    reflect: str | None = field(default=None, metadata={"check": text_limit(REFLECT_MAX)})


@dataclass(frozen=True)
class Tip:
    """One short reframing tip; `id` is stable so votes and history survive edits."""

    id: str = field(metadata={"check": check_id})
    topic: str
    text: str = field(metadata={"check": text_limit(TIP_TEXT_MAX)})
    reflect: str | None = field(default=None, metadata={"check": text_limit(REFLECT_MAX)})
    tags: tuple[TipTag, ...] = ()
    # Filled from content/locales/<code>/tips/*.yaml, never written here.
    locales: dict[str, TipText] = field(default_factory=dict, metadata={"internal": True})
    line: int = field(default=0, metadata={"line": True})
    file: str = field(default="", metadata={"internal": True})


@dataclass(frozen=True)
class TopicsFile:
    """The shape of content/topics.yaml."""

    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class TipsFile:
    """The shape of one content/tips/*.yaml file."""

    tips: tuple[Tip, ...]
