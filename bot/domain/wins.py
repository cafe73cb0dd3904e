"""A small win as the rest of the bot sees it, whichever database stored it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Win:
    """A stored win; `user_id` is None for anonymous wins."""

    id: int
    guild_id: int
    user_id: int | None
    text: str
    week: str
    day: str
