"""Gateway: login, READY and GUILD_CREATE, late guilds, compression, heartbeats, RESUME."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import discord
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import Sandbox


async def test_login_ready_and_guild_create(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    assert bot.user is not None
    assert bot.user.id == sandbox.bot_user.id
    assert bot.application_id == sandbox.application_id
    assert await sandbox.wait_identified() == [world.guild.id]
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    assert guild.name == "Job Seekers"
    assert guild.member_count == len(world.guild.members)
    assert isinstance(guild.get_channel(world.wins.id), discord.TextChannel)
    assert isinstance(guild.get_channel(world.forum.id), discord.ForumChannel)
    assert {r.name for r in guild.roles} >= {"@everyone", "Moderators", "Bounceback"}
    assert guild.me.guild_permissions.send_messages
    assert guild.get_member(world.alice.id) is None  # no members intent: only the bot is known
    routes = [r.route for r in sandbox.requests.all]
    assert routes[:2] == ["/users/@me", "/oauth2/applications/@me"]


async def test_gateway_compression_and_heartbeats(sandbox: Sandbox, bot: ProbeBot) -> None:
    # zstd-stream when zstandard is importable, zlib-stream otherwise; the sandbox speaks both.
    expected = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
    assert sandbox.gateway.last_compression == expected
    await sandbox.gateway.changes.wait_for(
        lambda: sandbox.gateway_stats.heartbeats or None, 2, "a heartbeat"
    )
    assert bot.latency < 1


async def test_guild_created_after_connect_is_joined(sandbox: Sandbox, bot: ProbeBot) -> None:
    joined = asyncio.ensure_future(bot.wait_for("guild_join", timeout=2))
    created = asyncio.ensure_future(bot.wait_for("guild_channel_create", timeout=2))
    late = sandbox.create_guild("Late Guild", locale="fr")
    channel = late.create_text_channel("bonjour")
    guild = await joined
    assert guild.id == late.id
    assert guild.preferred_locale is discord.Locale.french
    assert (await created).id == channel.id


async def test_a_kicked_bot_gets_guild_remove_and_rejoins_on_invite(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    removed = asyncio.ensure_future(bot.wait_for("guild_remove", timeout=2))
    sandbox.remove_bot(world.guild)
    assert (await removed).id == world.guild.id
    assert bot.get_guild(world.guild.id) is None
    joined = asyncio.ensure_future(bot.wait_for("guild_join", timeout=2))
    sandbox.add_bot(world.guild)
    back = await joined
    assert back.id == world.guild.id
    assert back.get_channel(world.wins.id) is not None
    assert back.me.guild_permissions.send_messages  # its managed role came back with it


async def test_drop_connection_resumes_fast_and_replays(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    started = time.monotonic()
    await sandbox.drop_connection()
    missed = world.guild.create_text_channel("created-while-offline")
    await asyncio.wait_for(bot.resumed.wait(), 2)
    res = await sandbox.invoke(world.alice, "ping")
    assert (await res.response(timeout=2)).content == "pong"
    assert time.monotonic() - started < 1.5
    assert bot.get_channel(missed.id) is not None
    assert sandbox.gateway_stats.identifies == 1
    assert sandbox.gateway_stats.resumes == 1


async def test_abrupt_drop_also_resumes(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    await sandbox.drop_connection(abrupt=True)
    await sandbox.wait_resumed(timeout=2)
    res = await sandbox.invoke(world.bob, "ping")
    assert (await res.response(timeout=2)).content == "pong"


async def test_bad_resume_is_invalid_session_and_bad_token_closes_4004(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(sandbox.gateway_url) as ws:
            hello = await ws.receive_json(timeout=2)
            assert hello["op"] == 10
            assert hello["d"]["heartbeat_interval"] > 0
            await ws.send_json(
                {"op": 6, "d": {"token": sandbox.token, "session_id": "x", "seq": 3}}
            )
            assert (await ws.receive_json(timeout=2))["op"] == 9
        async with session.ws_connect(sandbox.gateway_url) as ws:
            await ws.receive_json(timeout=2)
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 1, "properties": {}}})
            closed = await ws.receive(timeout=2)
            assert closed.type is aiohttp.WSMsgType.CLOSE
            assert closed.data == 4004
