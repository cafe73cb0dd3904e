"""Rules for text that members and moderators type, before it is stored or shown.

Nothing here pings anyone by itself (outgoing messages also turn mentions off);
these rules decide what is acceptable and normalise what is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@everyone|@here")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")


class TextProblem(Enum):
    """Why a piece of text was refused."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    ONLY_MENTION = "only_mention"


@dataclass(frozen=True)
class TextCheck:
    """The outcome: cleaned text, or the problem (with the length for too-long)."""

    text: str
    problem: TextProblem | None = None
    length: int = 0


def check_text(raw: str, limit: int) -> TextCheck:
    """Trim, tidy whitespace, and refuse empty, over-long or mention-only text."""
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\r\n", "\n").split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        return TextCheck("", TextProblem.EMPTY)
    if len(text) > limit:
        return TextCheck(text, TextProblem.TOO_LONG, len(text))
    if not _MENTION.sub("", text).strip(" ,.;:!?-"):
        return TextCheck(text, TextProblem.ONLY_MENTION)
    return TextCheck(text, None, len(text))


def defuse_mentions(text: str) -> str:
    """Break `@everyone`/`@here` so they read as text even where mentions are parsed."""
    return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")
