"""What the weekly-thread service needs from Discord, as a port (bot.publishing implements it).

Kept apart from the service so the types the publisher shares with it stay small
and free of scheduling logic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.domain.schedule import PostKey
from bot.services.weekly_runs import Problem

GONE = "gone"  # a member who left the server: dropped quietly


@dataclass(frozen=True)
class ThreadResult:
    """The thread an opening produced, or None with the problem to report instead."""

    thread_id: int | None
    problem: Problem | None = None


@dataclass(frozen=True)
class CarryOffer:
    """The button under a recap that carries that week's unfinished goals into the next."""

    week: str
    label: str


@dataclass(frozen=True)
class ThreadOpening:
    """One week's thread to open, and what an interrupted earlier run already did."""

    guild_id: int
    channel_id: int
    week: str
    name: str
    text: str
    resuming: bool = False  # a crashed run may have created the thread without recording it
    starter_id: int | None = None  # the starter message that run sent (text channels)


StarterSent = Callable[[int], Awaitable[None]]


class ThreadPoster(Protocol):
    """The discord-side sender (bot.publishing) as this service sees it."""

    async def open_thread(self, opening: ThreadOpening, on_starter: StarterSent) -> ThreadResult:
        """Open the thread; call `on_starter` with the starter's id before creating the thread."""
        ...

    async def add_to_thread(self, thread_id: int, user_id: int) -> str | None:
        """Add a member without a mention; None when done, GONE when they left, else the problem."""
        ...

    def server_locale(self, guild_id: int) -> str | None:
        """Return the server's own preferred locale, if known."""
        ...

    async def post_in_thread(
        self, key: PostKey, thread_id: int, text: str, carry: CarryOffer | None = None
    ) -> Problem | None:
        """Post in the week's thread (with the recap's carry button, and the key's nonce)."""
        ...

    async def moderator_log(self, text: str) -> bool:
        """Tell the moderators about a failed run; False when there is no log channel."""
        ...
