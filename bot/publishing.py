"""The one place that posts messages nobody directly asked for (moderator log, weekly posts).

Mentions are always off, and a missing channel or permission becomes a
report, never a crash. Every message of a weekly post carries a nonce derived
from (server, kind, week, part), so a retry or a process taking the post over
gets the message Discord already made instead of a second one; what failed is
told as a `Problem`, transient (5xx, timeout, connection) or not. Scheduled fan-out is paced: discord.py learns of the
global limit (50 requests/s) only from a 429, so each post holds one of 48
slots until a second after its request completes, which keeps a burst of a
thousand servers under the limit without drifting far from it. The limit is per bot token,
so the processes of a cluster split the slots between them (`bot/cluster.py`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeVar

import aiohttp
import discord

from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.celebration import CelebrationPart
from bot.domain.schedule import PostKey
from bot.services.accountability_poster import (
    GONE,
    CarryOffer,
    StarterSent,
    ThreadOpening,
    ThreadResult,
)
from bot.services.accountability_weeks import OPEN
from bot.services.celebrations import PartSent
from bot.services.weekly_runs import Problem
from bot.ui.accountability import carry_view
from bot.ui.embeds import calm_embed
from bot.ui.formatting import NO_PINGS

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
PACING_SLOTS = 48
PACING_HOLD_SECONDS = 1.0
# One request of a weekly post may take this long; a lease (schedule.lease_seconds) outlasts it.
REQUEST_TIMEOUT_SECONDS = 30.0
UNKNOWN_MEMBER = 10007
THREAD_ALREADY_CREATED = 160004
# A member is waiting on a post they triggered: retry a Discord outage only this long.
MEMBER_POST_SECONDS = 3.0
MEMBER_POST_FIRST_BACKOFF = 0.25
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


class Publisher:
    """Sends to channels by id with safe defaults; problems are told in messages.yaml's words."""

    def __init__(
        self,
        client: discord.Client,
        log_channel_id: int | None,
        store: ContentStore,
        pacing_slots: int = PACING_SLOTS,
    ) -> None:
        self._pacing_slots = pacing_slots  # this process's share of the token's global budget
        self._client = client
        self._log_channel_id = log_channel_id
        self._store = store
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

    def server_locale(self, guild_id: int) -> str | None:
        """Return the server's own preferred locale (set in its Discord settings), if known."""
        guild = self._client.get_guild(guild_id)
        return guild.preferred_locale.value if guild is not None else None

    async def moderator_log(self, text: str) -> bool:
        """Post to the configured moderator log channel; False when unset or undeliverable."""
        if self._log_channel_id is None:
            return False
        return await self.post(self._log_channel_id, text)

    async def post(self, channel_id: int, text: str) -> bool:
        """Post plain text without pings or link previews; False (logged) on failure."""
        try:
            return await self._send_text(channel_id, text)
        except discord.HTTPException as exc:
            log.warning("could not post to channel %s: %s", channel_id, exc)
            return False

    async def post_parts(
        self,
        key: PostKey,
        channel_id: int,
        parts: Sequence[tuple[int, CelebrationPart]],
        on_sent: PartSent,
    ) -> Problem | None:
        """Post the (index, part) pairs in order, each under its nonce; the problem, if any."""
        try:
            channel = await self._channel(channel_id)
            if channel is None:
                return Problem(self.messages.pick("delivery_not_messageable"))
            for index, part in parts:
                nonce = post_nonce(key.guild_id, key.kind, key.week, index)
                message = await self.pacer.run(partial(_send_part, channel, part, nonce))
                await on_sent(index, message.id)
        except discord.Forbidden:
            return Problem(self.messages.pick("delivery_no_post_permission"))
        except discord.NotFound:
            return Problem(self.messages.pick("delivery_channel_gone"))
        except TRANSIENT as exc:
            return self._transient(exc)
        except discord.HTTPException as exc:
            return Problem(self.messages.pick("delivery_discord_error", status=exc.status))
        return None

    def _transient(self, exc: BaseException) -> Problem:
        """Describe a failure worth retrying, as the moderators read it once retries ran out."""
        if isinstance(exc, discord.HTTPException):
            return Problem(self.messages.pick("delivery_discord_retried", status=exc.status), True)
        return Problem(self.messages.pick("delivery_discord_unreachable"), True)

    async def open_thread(self, opening: ThreadOpening, on_starter: StarterSent) -> ThreadResult:
        """Open a forum post, or a starter message with a public thread; never a second one.

        A run finishing what an earlier one began must not post twice. It first
        looks for the week's thread among the bot's active ones (a forum post
        takes no nonce). In a text channel the starter carries a nonce derived
        from (guild, kind, week, part 0), so re-sending it returns the same
        message, and a thread on a message that already has one is that
        message's thread (Discord gives it the message's id).
        """
        try:
            channel = await self._lookup(opening.channel_id)
            if not isinstance(channel, discord.ForumChannel | discord.TextChannel):
                return ThreadResult(None, Problem(self.messages.pick("delivery_no_threads_here")))
            resuming = opening.resuming and opening.starter_id is None
            if resuming and (found := await self._bot_thread(channel, opening.name)):
                return ThreadResult(found)
            if isinstance(channel, discord.ForumChannel):
                return ThreadResult(await self._forum_post(channel, opening))
            starter_id = opening.starter_id
            if starter_id is None:
                nonce = post_nonce(opening.guild_id, OPEN, opening.week, 0)
                starter = await self.pacer.run(
                    partial(channel.send, opening.text, allowed_mentions=NO_PINGS, nonce=nonce)
                )
                await on_starter(starter.id)
                starter_id = starter.id
            return ThreadResult(await self._thread_on(channel, starter_id, opening.name))
        except discord.Forbidden:
            problem = Problem(self.messages.pick("delivery_no_thread_permission"))
        except discord.NotFound:
            problem = Problem(self.messages.pick("delivery_channel_gone"))
        except TRANSIENT as exc:
            problem = self._transient(exc)
        except discord.HTTPException as exc:
            problem = Problem(self.messages.pick("delivery_discord_error", status=exc.status))
        return ThreadResult(None, problem)

    async def _thread_on(self, channel: discord.TextChannel, message_id: int, name: str) -> int:
        """Return the public thread on a message, created now or by an earlier run."""
        starter = channel.get_partial_message(message_id)
        try:
            thread = await self.pacer.run(
                partial(starter.create_thread, name=name, auto_archive_duration=10080)
            )
        except discord.HTTPException as exc:
            if exc.code == THREAD_ALREADY_CREATED:
                return message_id
            raise
        return thread.id

    async def _forum_post(self, forum: discord.ForumChannel, opening: ThreadOpening) -> int:
        created = await self.pacer.run(
            partial(
                forum.create_thread,
                name=opening.name,
                content=opening.text,
                allowed_mentions=NO_PINGS,
            )
        )
        return created.thread.id

    async def _bot_thread(
        self, parent: discord.ForumChannel | discord.TextChannel, name: str
    ) -> int | None:
        """Find the bot's own active thread called `name` under `parent`, if there is one."""
        me = self._client.user
        mine = (me.id if me else None, parent.id, name)
        for thread in await self.pacer.run(parent.guild.active_threads):
            if (thread.owner_id, thread.parent_id, thread.name) == mine:
                return thread.id
        return None

    async def add_to_thread(self, thread_id: int, user_id: int) -> str | None:
        """Add a member without mentioning them; GONE when they left the server.

        Only the two ids are needed, so there is no channel lookup: a thread just
        created may not be cached yet, and an unpaced fetch in a burst draws 429s.
        """
        try:
            await self.pacer.run(partial(self._client.http.add_user_to_thread, thread_id, user_id))
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MEMBER:
                return GONE
            return self.messages.pick("delivery_thread_gone")
        except discord.Forbidden:
            return self.messages.pick("delivery_no_add_permission")
        except TRANSIENT as exc:
            return self._transient(exc).reason
        except discord.HTTPException as exc:
            return self.messages.pick("delivery_discord_error", status=exc.status)
        return None

    async def post_in_thread(
        self, key: PostKey, thread_id: int, text: str, carry: CarryOffer | None = None
    ) -> Problem | None:
        """Post in the week's thread under the key's nonce, unarchiving it first when allowed."""
        try:
            thread = await self._thread(thread_id)
            if thread is None:
                return Problem(self.messages.pick("delivery_thread_gone"))
            if thread.archived:
                if thread.locked:
                    return Problem(self.messages.pick("delivery_thread_locked"))
                thread = await self.pacer.run(partial(thread.edit, archived=False))
            view = carry_view(carry.week, carry.label) if carry else discord.utils.MISSING
            nonce = post_nonce(key.guild_id, key.kind, key.week, 0)
            await self.pacer.run(
                partial(thread.send, text, view=view, allowed_mentions=NO_PINGS, nonce=nonce)
            )
        except discord.Forbidden:
            return Problem(self.messages.pick("delivery_no_thread_post"))
        except discord.NotFound:
            return Problem(self.messages.pick("delivery_thread_gone"))
        except TRANSIENT as exc:
            return self._transient(exc)
        except discord.HTTPException as exc:
            return Problem(self.messages.pick("delivery_discord_error", status=exc.status))
        return None

    async def _thread(self, thread_id: int) -> discord.Thread | None:
        thread = await self._lookup(thread_id)
        return thread if isinstance(thread, discord.Thread) else None

    async def _lookup(self, channel_id: int) -> object:
        """From the cache, else fetched through the pacer (every request in a burst counts)."""
        found = self._client.get_channel(channel_id)
        if found is None:
            found = await self.pacer.run(partial(self._client.fetch_channel, channel_id))
        return found

    async def _channel(self, channel_id: int) -> discord.abc.Messageable | None:
        """Return the channel to send to; None for a kind that holds no messages (a category)."""
        channel = await self._lookup(channel_id)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def post_once(self, channel_id: int, text: str, nonce: str) -> bool:
        """Post what a member asked for, retrying a Discord outage briefly; False if not posted.

        Every try carries the same `nonce`, so a try that Discord processed but
        whose answer was lost is returned rather than posted again. The member
        is waiting, so the retries stop after MEMBER_POST_SECONDS.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MEMBER_POST_SECONDS
        delay = MEMBER_POST_FIRST_BACKOFF
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    return await self._send_text(channel_id, text, nonce)
            except TRANSIENT as exc:
                problem: BaseException = exc
            except discord.HTTPException as exc:
                log.warning("could not post to channel %s: %s", channel_id, exc)
                return False
            if loop.time() + delay >= deadline:
                log.warning("gave up posting to channel %s for now: %r", channel_id, problem)
                return False
            await asyncio.sleep(delay)
            delay *= 2

    async def _send_text(self, channel_id: int, text: str, nonce: str | None = None) -> bool:
        """Send plain text without pings or previews; False when the channel holds no messages.

        Without a `nonce` a random one is drawn, as discord.py would: it covers
        only the retries of this one send.
        """
        channel = await self._channel(channel_id)
        if channel is None:
            log.warning("could not post to channel %s: it holds no messages", channel_id)
            return False
        await channel.send(
            text[:MESSAGE_LIMIT],
            allowed_mentions=NO_PINGS,
            suppress_embeds=True,
            nonce=nonce or secrets.token_hex(12),
        )
        return True


async def _send_part(
    channel: discord.abc.Messageable, part: CelebrationPart, nonce: str
) -> discord.Message:
    embed = calm_embed(part.title, part.description)
    return await channel.send(embed=embed, allowed_mentions=NO_PINGS, nonce=nonce)


def post_nonce(*parts: object) -> str:
    """Derive a message nonce from what is posted (Discord allows 25 characters)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=12).hexdigest()
    return f"m{digest}"
