"""Text helpers for anything that shows member-written words inside Discord layout."""

from __future__ import annotations

import discord

from bot.domain.text import public_text

# Every outgoing message says so itself, besides the bot-wide default: a reply must never
# ping, even if the default were changed.
NO_PINGS = discord.AllowedMentions.none()
NAME_SHOWN_LIMIT = 100  # display names are at most 32 characters; escaping can double them


def shown_name(user: discord.abc.User) -> str:
    """Name a member in a public post: display name as plain text, else their username.

    Display names are member text too (links, mention syntax, direction overrides);
    a name that is nothing but invisible tricks falls back to the plain username.
    """
    return public_text(user.display_name, NAME_SHOWN_LIMIT) or public_text(
        user.name, NAME_SHOWN_LIMIT
    )


def safe_inline(text: str, limit: int) -> str:
    """Member text inside an embed or message: the one public-text sanitizer, line breaks kept."""
    return public_text(text, limit, lines=True)


def truncate(text: str, limit: int) -> str:
    """Cut at `limit` characters with an ellipsis, for previews only (never for content)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_words(text: str, limit: int = 60) -> str:
    """Squash `text` to a one-line preview for lists and autocomplete."""
    return truncate(" ".join(text.split()), limit)
