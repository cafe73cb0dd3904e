"""Threads as a restarted bot finds them again: one thread per message, and the active list."""

from __future__ import annotations

import discord
import pytest
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import Sandbox


def _text(bot: ProbeBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_a_second_thread_on_the_same_message_is_refused(world: Scene, bot: ProbeBot) -> None:
    sent = await _text(bot, world.wins.id).send("weekly wins")
    await sent.create_thread(name="Week 48 wins")
    with pytest.raises(discord.HTTPException) as refused:
        await sent.create_thread(name="Week 48 wins")
    assert (refused.value.status, refused.value.code) == (400, 160004)
    assert refused.value.text == "A thread has already been created for this message"


async def test_active_threads_list_open_threads_only(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    sent = await _text(bot, world.wins.id).send("weekly wins")
    thread = await sent.create_thread(name="Week 48 wins")
    forum = guild.get_channel(world.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    post = (await forum.create_thread(name="Goals for week 48", content="What will you do?")).thread
    archived = await (await _text(bot, world.general.id).send("old")).create_thread(name="Old")
    sandbox.archive_thread(world.guild.channel_named("Old"))
    active = await guild.active_threads()
    found = {(t.id, t.parent_id, t.name, t.owner_id) for t in active}
    me = sandbox.bot_user.id
    assert found == {
        (thread.id, world.wins.id, "Week 48 wins", me),
        (post.id, world.forum.id, "Goals for week 48", me),
    }
    assert archived.id not in {t.id for t in active}
