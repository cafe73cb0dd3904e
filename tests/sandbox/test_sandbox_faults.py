"""Staged faults: revoked permissions, deleted channels, unknown routes, bad tokens."""

from __future__ import annotations

import aiohttp
import discord
import pytest
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import Sandbox


def _text(bot: ProbeBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_revoked_send_permission_raises_forbidden(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    updated = bot.wait_for("guild_channel_update", timeout=2)
    sandbox.revoke_permission(world.guild, world.wins, "send_messages")
    _, after = await updated
    assert not after.permissions_for(after.guild.me).send_messages
    with pytest.raises(discord.Forbidden) as denied:
        await _text(bot, world.wins.id).send("hello")
    assert denied.value.code == 50013
    await _text(bot, world.general.id).send("still fine elsewhere")
    sandbox.grant_permission(world.guild, world.wins, "send_messages")
    await _text(bot, world.wins.id).send("allowed again")


async def test_hidden_channel_is_missing_access(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.revoke_permission(world.guild, world.wins, "view_channel")
    with pytest.raises(discord.Forbidden) as denied:
        await _text(bot, world.wins.id).send("hello")
    assert denied.value.code == 50001


async def test_thread_permissions(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    sent = await _text(bot, world.wins.id).send("start")
    sandbox.revoke_permission(world.guild, world.wins, "create_public_threads")
    with pytest.raises(discord.Forbidden) as denied:
        await sent.create_thread(name="nope")
    assert denied.value.code == 50013
    sandbox.grant_permission(world.guild, world.wins, "create_public_threads")
    thread = await sent.create_thread(name="yes")
    sandbox.revoke_permission(world.guild, world.wins, "manage_threads")
    with pytest.raises(discord.Forbidden):
        await thread.edit(locked=True)


async def test_deleted_channel_is_not_found(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    channel = _text(bot, world.wins.id)
    deleted = bot.wait_for("guild_channel_delete", timeout=2)
    sandbox.delete_channel(world.wins)
    assert (await deleted).id == world.wins.id
    with pytest.raises(discord.NotFound) as missing:
        await channel.send("anyone?")
    assert missing.value.code == 10003


async def test_unknown_routes_are_recorded(sandbox: Sandbox, bot: ProbeBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/emojis", guild_id=1))
    [unknown] = sandbox.requests.unknown
    assert (unknown.method, unknown.path) == ("GET", "/guilds/1/emojis")


async def test_wrong_token_is_unauthorized(sandbox: Sandbox) -> None:
    headers = {"Authorization": "Bot wrong"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sandbox.api_base}/users/@me", headers=headers) as resp,
    ):
        assert resp.status == 401
        assert resp.headers["Content-Type"] == "application/json"


async def test_role_update_reaches_the_bot(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    updated = bot.wait_for("guild_role_update", timeout=2)
    bot_role = next(r for r in world.guild.roles.values() if r.bot_id == sandbox.bot_user.id)
    view_only = discord.Permissions(view_channel=True).value
    world.guild.update_role(bot_role, permissions=view_only)
    _, after = await updated
    assert after.permissions == discord.Permissions(view_channel=True)
    world.guild.update_role(world.guild.everyone_role, permissions=view_only)
    with pytest.raises(discord.Forbidden) as denied:
        await _text(bot, world.general.id).send("no send permission left")
    assert denied.value.code == 50013
