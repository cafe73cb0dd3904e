"""What every post nobody directly asked for shares: pacing, lookups, problems and nonces.

Scheduled fan-out is paced: discord.py learns of the global limit (50
requests/s) only from a 429, so each request holds one of 48 slots until a
second after it completes, which keeps a burst of a thousand servers under the
limit without drifting far from it. The limit is per bot token, so the
processes of a cluster split the slots between them (`bot/cluster.py`). What failed is told as a `Problem`,
transient (5xx, timeout, connection) or not, in messages.yaml's words. The
publishers (bot.publishing, bot.publishing_threads) build on `Delivery`.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

import aiohttp
import discord

from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.services.weekly_runs import Problem

PACING_SLOTS = 48
PACING_HOLD_SECONDS = 1.0
# One request of a weekly post may take this long; a lease (schedule.lease_seconds) outlasts it.
REQUEST_TIMEOUT_SECONDS = 30.0
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, OSError, TimeoutError)
T = TypeVar("T")


class Pacer:
    """At most PACING_SLOTS requests per rolling second, counted from request completion."""

    def __init__(
        self,
        slots: int = PACING_SLOTS,
        hold: float = PACING_HOLD_SECONDS,
        timeout: float = REQUEST_TIMEOUT_SECONDS,
    ) -> None:
        self._slots = asyncio.Semaphore(slots)
        self._hold = hold
        self._timeout = timeout

    async def run(self, request: Callable[[], Awaitable[T]]) -> T:
        """Await `request` in a free slot, at most `timeout`; the slot frees `hold` s after it."""
        await self._slots.acquire()
        try:
            async with asyncio.timeout(self._timeout):
                return await request()
        finally:
            asyncio.get_running_loop().call_later(self._hold, self._slots.release)


class Delivery:
    """The client, the live wording and the pacer that every kind of post goes through."""

    def __init__(
        self, client: discord.Client, store: ContentStore, pacing_slots: int = PACING_SLOTS
    ) -> None:
        self._client = client
        self._store = store
        self._pacing_slots = pacing_slots  # this process's share of the token's global budget
        self._pacer: Pacer | None = None

    @property
    def messages(self) -> Messages:
        """Read the live wording: the reasons moderators read in the log come from it."""
        return self._store.library.messages

    @property
    def pacer(self) -> Pacer:
        """The pacer every send goes through, made on first use (it needs the running loop)."""
        if self._pacer is None:
            self._pacer = Pacer(self._pacing_slots)
        return self._pacer

    def _transient(self, exc: BaseException) -> Problem:
        """Describe a failure worth retrying, as the moderators read it once retries ran out."""
        if isinstance(exc, discord.HTTPException):
            return Problem(self.messages.pick("delivery_discord_retried", status=exc.status), True)
        return Problem(self.messages.pick("delivery_discord_unreachable"), True)

    async def _lookup(self, channel_id: int) -> object:
        """From the cache, else fetched through the pacer (every request in a burst counts)."""
        found = self._client.get_channel(channel_id)
        if found is None:
            found = await self.pacer.run(partial(self._client.fetch_channel, channel_id))
        return found


def post_nonce(*parts: object) -> str:
    """Derive a message nonce from what is posted (Discord allows 25 characters)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=12).hexdigest()
    return f"m{digest}"
