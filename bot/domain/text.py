"""Rules for text that members and moderators type, before it is stored or shown.

Nothing here pings anyone by itself (outgoing messages also turn mentions off);
these rules decide what is acceptable and normalise what is, and `public_text`
is the one way member words and display names are shown in a public post.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
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
    """Trim, tidy whitespace, and refuse empty, over-long or mention-only text.

    Empty and mention-only are judged on what would be shown: text made only of
    characters the public form drops (zero-width spaces, fillers, direction marks)
    would otherwise be saved and then show as nothing, or break the embed it is in.
    """
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\r\n", "\n").split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    shown = _visible(unicodedata.normalize("NFC", text), lines=True) if text else ""
    if not shown:
        return TextCheck("", TextProblem.EMPTY)
    if len(text) > limit:
        return TextCheck(text, TextProblem.TOO_LONG, len(text))
    if not _MENTION.sub("", shown).strip(" ,.;:!?-"):
        return TextCheck(text, TextProblem.ONLY_MENTION)
    return TextCheck(text, None, len(text))


# --- Member words in public posts -------------------------------------------------------------

MAX_MARKS = 2  # combining marks kept per character: enough for any script, not for "Zalgo"
ELLIPSIS = "…"
# Discord's autolink rule (simple-markdown's `url`): the link is shown as itself, so it stays as
# is, in <> so it never unfurls. Its tail of closing punctuation stays unescaped too: a
# backslash there would join an unbracketed link.
_URL = re.compile(r"(?P<url>https?://[^\s<]+[^<.,:;\"')\]\s])(?P<tail>[.,:;\"')\]]*)")
# Harmless Discord syntax kept as it renders: custom emoji and timestamps.
_KEPT = re.compile(r"<a?:\w{2,32}:\d{1,20}>|<t:-?\d{1,13}(?::[tTdDfFRs])?>")
_MASS_MENTION = re.compile(r"@(?=everyone|here)")
_TOKENS = re.compile(f"{_URL.pattern}|{_KEPT.pattern}|{_MASS_MENTION.pattern}")
# Every character with a meaning in Discord markdown; `<` also opens mention syntax.
_MARKDOWN = frozenset("\\*_~`|>#-+[]()<")
_BIDI = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
)
_JOINERS = frozenset("\u200c\u200d")
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers: invisible "names"
_HIDDEN = _BLANK_LETTERS | _BIDI
_FLAG_TAGS = range(0xE0020, 0xE0080)
_WHITESPACE_RUN = re.compile(r"[^\S\n]+")
# No markdown character and no `@`: with no `://` either, no token can start.
_NOTHING_TO_ESCAPE = re.compile("[^" + re.escape("".join(sorted(_MARKDOWN))) + "@]*")
_DIGIT_DOT = re.compile(r"[0-9]\.")  # "1." would start a numbered list
_NEWLINE_RUN = re.compile(r" ?\n ?")


def public_text(raw: str, limit: int, *, lines: bool = False) -> str:
    """Member text (or a display name) made safe to show in a public post, within `limit`.

    It reads exactly as typed: markdown, masked links and mention syntax are
    escaped rather than removed; what cannot be shown honestly (direction
    overrides, control characters, invisible tricks, combining-mark floods)
    is dropped. Plain URLs stay clickable; posts suppress their previews.
    """
    text = _visible(unicodedata.normalize("NFC", raw), lines)
    if len(text) <= limit and _plain(text):
        return text  # most wins and names: nothing to escape, nothing to cut
    return _fit(list(_pieces(text)), limit)


def public_parts(raw: str, size: int, *, lines: bool = True) -> list[str]:
    """`public_text` with nothing cut: the whole text in parts of at most `size` characters.

    For a member's own words on a screen that must show all of them (their support
    plan): a part ends between whole pieces, at the last space or line break when
    there is one in its final fifth, so a number or a word is rarely split.
    """
    text = _visible(unicodedata.normalize("NFC", raw), lines)
    pieces = list(text) if _plain(text) else [p for p in _pieces(text) for p in _within(p, size)]
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for piece in pieces:
        if current and length + len(piece) > size:
            head, current = _at_a_break(current, size)
            parts.append("".join(head))
            length = sum(map(len, current))
        current.append(piece)
        length += len(piece)
    if current:
        parts.append("".join(current))
    return parts


def _within(piece: str, size: int) -> list[str]:
    """Split a piece longer than a whole part (a very long link) where it must be."""
    return (
        [piece[i : i + size] for i in range(0, len(piece), size)] if len(piece) > size else [piece]
    )


def _at_a_break(pieces: list[str], size: int) -> tuple[list[str], list[str]]:
    """Split a full part after its last space or line break near the end, if any."""
    floor = size * 4 // 5
    length = sum(map(len, pieces))
    for index in range(len(pieces) - 1, 0, -1):
        length -= len(pieces[index])
        if length < floor:
            break
        if pieces[index - 1] in (" ", "\n"):
            return pieces[:index], pieces[index:]
    return pieces, []


def _plain(text: str) -> bool:
    """Say whether escaping would change nothing: ASCII, no markdown, no token could start."""
    return (
        text.isascii()
        and _NOTHING_TO_ESCAPE.fullmatch(text) is not None
        and "://" not in text
        and _DIGIT_DOT.search(text) is None
    )


def _visible(text: str, lines: bool) -> str:
    """Drop what would disguise the text; tidy whitespace; newlines only when `lines`."""
    text = text.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if text.isascii() and text.isprintable():  # most texts: nothing below can apply
        return _tidy(text)
    out: list[str] = []
    marks = 0
    for char in text:
        kind = unicodedata.category(char)
        if char == "\n":
            out.append("\n" if lines else " ")
        elif kind.startswith("Z") or char == "\t":
            out.append(" ")
        elif kind in ("Mn", "Me"):
            marks += 1
            if marks <= MAX_MARKS and out and not out[-1].isspace():
                out.append(char)
            continue
        elif char in _JOINERS:
            if out and not out[-1].isspace() and out[-1] not in _JOINERS:
                out.append(char)
        elif ord(char) in _FLAG_TAGS:
            if out and (out[-1] == "\U0001f3f4" or ord(out[-1]) in _FLAG_TAGS):
                out.append(char)
        elif kind not in ("Cc", "Cf", "Cs") and char not in _HIDDEN:
            out.append(char)
        marks = 0
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep a joiner only between visible characters."""
    tidy = _WHITESPACE_RUN.sub(" ", text)
    tidy = _BLANK_LINES.sub("\n\n", _NEWLINE_RUN.sub("\n", tidy))
    return _strip_joiners(tidy.strip())


def _strip_joiners(text: str) -> str:
    """Keep a joiner only between two visible characters."""
    text = re.sub(r"[\u200c\u200d](?=\s|$)", "", text)
    return re.sub(r"^[\u200c\u200d]+", "", text)


def _pieces(text: str) -> Iterator[str]:
    """Yield the escaped text in pieces that a cut must not split."""
    done = 0
    for match in _TOKENS.finditer(text):
        yield from _escaped(text[done : match.start()])
        yield _token(match)
        done = match.end()
    yield from _escaped(text[done:])


def _token(match: re.Match[str]) -> str:
    if match[0] == "@":
        return "@\u200b"
    url = match["url"]
    if url and ">" not in url:  # `<url>` is still a link, without a preview
        return f"<{url}>{match['tail']}"
    return match[0]


def _escaped(text: str) -> Iterator[str]:
    return _escaped_ascii(text) if text.isascii() else _escaped_any(text)


def _escaped_ascii(text: str) -> Iterator[str]:
    """`_escaped_any` for ASCII, where no character attaches to the one before it."""
    for index, char in enumerate(text):
        after_digit = char == "." and index > 0 and text[index - 1].isdigit()
        yield f"\\{char}" if char in _MARKDOWN or after_digit else char


def _escaped_any(text: str) -> Iterator[str]:
    piece = ""
    for index, char in enumerate(text):
        attached = (
            unicodedata.category(char) in ("Mn", "Me")
            or char in _JOINERS
            or 0x1F3FB <= ord(char) <= 0x1F3FF  # skin tones belong to the emoji before them
        )
        if piece and (attached or piece[-1] in _JOINERS):
            piece += char
            continue
        if piece:
            yield piece
        after_digit = char == "." and index > 0 and text[index - 1].isdigit()
        piece = f"\\{char}" if char in _MARKDOWN or after_digit else char
    if piece:
        yield piece


def _fit(pieces: list[str], limit: int) -> str:
    """Whole pieces up to `limit`; when cut, end in an ellipsis (also counted)."""
    if sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept: list[str] = []
    size = len(ELLIPSIS)
    for piece in pieces:
        if size + len(piece) > limit:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept).rstrip() + ELLIPSIS if limit >= len(ELLIPSIS) else ""
