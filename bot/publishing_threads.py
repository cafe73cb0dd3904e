"""The weekly thread's posts: open it once, add members, post the check-in and the recap.

A run finishing what an earlier one began must never make a second thread: a
text channel's starter carries a nonce, a forum post (which takes none) is
looked for among the bot's active threads first, and a thread on a message
that already has one is that message's thread. Members are added without a
mention. bot.publishing.Publisher is the one object that sends all of it.
"""

from __future__ import annotations

from functools import partial

import discord

from bot.delivery import TRANSIENT, Delivery, post_nonce
from bot.domain.schedule import PostKey
from bot.services.accountability_poster import (
    GONE,
    CarryOffer,
    StarterSent,
    ThreadOpening,
    ThreadResult,
)
from bot.services.accountability_schedule import OPEN
from bot.services.weekly_runs import Problem
from bot.ui.accountability import carry_view
from bot.ui.formatting import NO_PINGS

UNKNOWN_MEMBER = 10007
THREAD_ALREADY_CREATED = 160004


class ThreadPublishing(Delivery):
    """Opens the week's thread or forum post, adds members, and posts in it, each once."""

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
