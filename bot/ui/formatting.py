"""Text helpers for anything that shows member-written words inside Discord layout."""

from __future__ import annotations

import discord

from bot.domain.text import defuse_mentions


def safe_inline(text: str, limit: int) -> str:
    """Escape markdown and mentions so member text cannot break an embed or ping anyone."""
    escaped = discord.utils.escape_markdown(defuse_mentions(text), as_needed=False)
    return truncate(escaped, limit)


def truncate(text: str, limit: int) -> str:
    """Cut at `limit` characters with an ellipsis, for previews only (never for content)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_words(text: str, limit: int = 60) -> str:
    """A one-line preview for lists and autocomplete."""
    return truncate(" ".join(text.split()), limit)
