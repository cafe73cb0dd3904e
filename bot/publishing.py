"""The one place that posts messages nobody directly asked for (moderator log, weekly posts).

Mentions are always off, and a missing channel or permission becomes a
report, never a crash. Every message of a weekly post carries a nonce derived
from (server, kind, week, part), so a retry or a process taking the post over
gets the message Discord already made instead of a second one. What every send
shares (pacing, problems, nonces) is in bot.delivery; the weekly thread's
posts are in bot.publishing_threads.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Sequence
from functools import partial

import discord

from bot.content.store import ContentStore
from bot.delivery import PACING_SLOTS, TRANSIENT, post_nonce
from bot.domain.celebration import CelebrationPart
from bot.domain.schedule import PostKey
from bot.publishing_threads import ThreadPublishing
from bot.services.celebrations import PartSent
from bot.services.weekly_runs import Problem
from bot.ui.embeds import calm_embed
from bot.ui.formatting import NO_PINGS

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
# A member is waiting on a post they triggered: retry a Discord outage only this long.
MEMBER_POST_SECONDS = 3.0
MEMBER_POST_FIRST_BACKOFF = 0.25


class Publisher(ThreadPublishing):
    """Sends to channels by id with safe defaults; problems are told in messages.yaml's words."""

    def __init__(
        self,
        client: discord.Client,
        log_channel_id: int | None,
        store: ContentStore,
        pacing_slots: int = PACING_SLOTS,
    ) -> None:
        super().__init__(client, store, pacing_slots)
        self._log_channel_id = log_channel_id

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
