"""Compose the weekly celebration: opening, every win, the group's courage count, closing.

Discord caps an embed description at 4,096 characters and a message at ten
embeds and 6,000 embed characters; a long week becomes several messages rather
than a win being cut. Composition is pure so the limits are unit-tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.text import public_text

DESCRIPTION_LIMIT = 4096
MESSAGE_EMBED_CHARS = 6000
WIN_SHOWN_LIMIT = 1000  # a win of 300 characters still fits after escaping


@dataclass(frozen=True)
class WinLine:
    """One win as it will be shown: already escaped text and, if named, a mention."""

    text: str
    mention: str | None


@dataclass(frozen=True)
class CelebrationPart:
    """One message of the post: its embed title and description."""

    title: str
    description: str


def shown_win(text: str) -> str:
    """Show a member's win as the preview and the celebration do: plain text, one line."""
    return public_text(text, WIN_SHOWN_LIMIT)


def win_line(win: WinLine) -> str:
    """Format one bullet of the post; an unnamed win has no mention after it."""
    return f"• {win.text} — {win.mention}" if win.mention else f"• {win.text}"


def compose(
    title: str,
    opening: str,
    wins: Sequence[WinLine],
    courage: str | None,
    closing: str,
    limit: int = DESCRIPTION_LIMIT,
) -> list[CelebrationPart]:
    """Pack the lines into as few embeds as fit, never splitting or dropping a line."""
    lines = [opening, "", *(win_line(w) for w in wins)]
    if courage:
        lines += ["", courage]
    lines += ["", closing]
    parts: list[list[str]] = [[]]
    for line in lines:
        current = parts[-1]
        size = sum(len(x) + 1 for x in current) + len(line)
        if current and size > limit:
            parts.append([])
        parts[-1].append(line)
    titles = [title] + [f"{title} (continued)"] * (len(parts) - 1)
    return [
        CelebrationPart(t, "\n".join(p).strip("\n"))
        for t, p in zip(titles, parts, strict=True)
        if "\n".join(p).strip()
    ]


@dataclass(frozen=True)
class CelebrationSettings:
    """Where and when one server celebrates; None fields mean "use the default"."""

    guild_id: int
    channel_id: int
    weekday: str | None
    time: str | None
    timezone: str | None
