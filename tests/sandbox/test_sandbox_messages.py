"""Channel messages, files, mentions, edits, reactions, DMs, threads and forum posts."""

from __future__ import annotations

import io

import discord
import pytest
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import ChannelType, Sandbox


def _text(bot: ProbeBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_send_records_allowed_mentions(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    wins = _text(bot, world.wins.id)
    sent = await wins.send(
        f"well done <@{world.alice.id}>", allowed_mentions=discord.AllowedMentions.none()
    )
    stored = await sandbox.wait_for_message(world.wins, lambda m: m.id == sent.id)
    assert stored.allowed_mentions == {"parse": []}
    assert stored.mention_ids == []
    pinged = await wins.send(f"hey <@{world.bob.id}>")
    assert [u.id for u in pinged.mentions] == [world.bob.id]
    request = await sandbox.wait_for_request(lambda r: r.route == "/channels/{channel_id}/messages")
    assert request.json["content"].startswith("well done")
    assert request.params["channel_id"] == str(world.wins.id)


async def test_message_create_reaches_the_bot(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    seen = bot.wait_for("message", timeout=2)
    sent = await _text(bot, world.general.id).send("echo")
    message = await seen
    assert message.id == sent.id
    assert message.author.id == sandbox.bot_user.id


async def test_file_upload_keeps_name_and_bytes(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sent = await _text(bot, world.wins.id).send(
        file=discord.File(io.BytesIO(b"\x00\x01data"), "week.csv")
    )
    stored = await sandbox.wait_for_message(world.wins)
    assert [(a.filename, a.data) for a in stored.attachments] == [("week.csv", b"\x00\x01data")]
    assert await sent.attachments[0].read() == b"\x00\x01data"


async def test_edit_delete_and_limits(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    channel = _text(bot, world.general.id)
    sent = await channel.send("draft")
    edited = await sent.edit(content="final", embed=discord.Embed(title="Done"))
    assert edited.content == "final"
    stored = world.general.live_messages[-1]
    assert (stored.content, stored.embeds[0]["title"]) == ("final", "Done")
    await sent.delete()
    with pytest.raises(discord.NotFound) as missing:
        await channel.fetch_message(sent.id)
    assert missing.value.code == 10008
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert (too_long.value.status, too_long.value.code) == (400, 50035)
    with pytest.raises(discord.HTTPException) as long_title:
        await channel.send(embed=discord.Embed(title="t" * 257))
    assert long_title.value.code == 50035
    assert "embeds.0.title" in str(long_title.value)


async def test_reactions_and_history(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    channel = _text(bot, world.general.id)
    sent = await channel.send("react to me")
    await sent.add_reaction("🎉")
    assert world.general.live_messages[-1].reactions == {"🎉": {sandbox.bot_user.id}}
    history = [m.id async for m in channel.history(limit=5)]
    assert history == [sent.id]


async def test_dm_send(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    user = await bot.fetch_user(world.alice.id)
    await user.send("private hello")
    dm = sandbox.world.dm_channel(world.alice.user)
    assert (await sandbox.wait_for_message(dm)).content == "private hello"


async def test_thread_from_message_and_members(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sent = await _text(bot, world.wins.id).send("weekly wins")
    thread = await sent.create_thread(name="Week 48 wins")
    assert thread.id == sent.id
    assert thread.owner_id == sandbox.bot_user.id
    stored = world.guild.channel_named("Week 48 wins")
    assert stored.type is ChannelType.PUBLIC_THREAD
    await thread.add_user(discord.Object(world.alice.id))
    assert set(stored.thread_members) == {sandbox.bot_user.id, world.alice.id}
    await thread.send("first post")
    assert stored.live_messages[-1].content == "first post"
    await thread.edit(archived=True)
    assert stored.archived
    assert bot.get_channel(thread.id) is not None


async def test_forum_post(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    forum = bot.get_channel(world.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    tag = forum.available_tags[0]
    created = await forum.create_thread(
        name="Goals for week 48", content="What will you do?", applied_tags=[tag]
    )
    assert created.message.content == "What will you do?"
    post = world.guild.channel_named("Goals for week 48")
    assert post.parent_id == world.forum.id
    assert post.applied_tags == [tag.id]
    assert post.live_messages[0].id == post.id
