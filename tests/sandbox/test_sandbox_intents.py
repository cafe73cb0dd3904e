"""Dispatches honour IDENTIFY intents, as Discord's do."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from sandbox_testbot import ProbeBot, Scene, start_bot, stop_bot

from discord_sandbox import Sandbox, point_discord_at


@pytest.fixture
async def guilds_only_bot(sandbox: Sandbox, world: Scene) -> AsyncIterator[ProbeBot]:
    with point_discord_at(sandbox):
        client = ProbeBot(intents=discord.Intents(guilds=True))
        task = await start_bot(sandbox, client)
        yield client
        await stop_bot(client, task)


async def test_guilds_only_bot_gets_no_message_events(
    sandbox: Sandbox, world: Scene, guilds_only_bot: ProbeBot
) -> None:
    channel = guilds_only_bot.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("nobody hears this")
    res = await sandbox.invoke(world.alice, "ping")  # interactions need no intent
    assert (await res.response(timeout=2)).content == "pong"
    assert guilds_only_bot.seen_messages == []
    assert res.original is not None
    assert res.original.content == "pong"
