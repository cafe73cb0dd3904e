"""Slash commands: registry read-back, typed options, groups, DMs, autocomplete."""

from __future__ import annotations

import discord
import pytest
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import Sandbox, SandboxError


async def test_sync_is_read_back(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    assert sandbox.command_syncs == 1
    names = {c["name"] for c in sandbox.global_commands}
    assert {"ping", "echo", "tips", "tip", "feedback", "menu", "slow", "multi", "help"} <= names
    fetched = await bot.tree.fetch_commands()
    assert {c.name for c in fetched} == names
    tips = next(c for c in fetched if c.name == "tips")
    assert {o.name for o in tips.options} == {"add", "admin"}

    guild = discord.Object(world.guild.id)
    bot.tree.copy_global_to(guild=guild)
    synced = await bot.tree.sync(guild=guild)
    assert sandbox.command_syncs == 2
    assert {c["name"] for c in sandbox.guild_commands(world.guild.id)} == names
    assert all(c.guild_id == world.guild.id for c in synced)


async def test_options_arrive_with_their_types(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    options = {
        "text": "hi",
        "count": 3,
        "flag": True,
        "who": world.alice,
        "where": world.wins,
        "role": world.mods,
        "ratio": 0.5,
    }
    res = await sandbox.invoke(world.bob, "echo", options=options, channel=world.general)
    reply = await res.response(timeout=2)
    assert reply.content == (
        f"hi|3|True|Member:{world.alice.id}:True|TextChannel:{world.wins.id}|Moderators|0.5"
    )
    resolved = res.payload["data"]["resolved"]
    assert set(resolved) == {"users", "members", "channels", "roles"}
    assert res.payload["member"]["permissions"].isdigit()


async def test_subcommands_groups_and_locale(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    res = await sandbox.invoke(world.alice, "tips add", options={"topic": "growth"})
    reply = await res.response(timeout=2)
    assert reply.content == "added growth (es-ES)"
    assert reply.ephemeral
    res = await sandbox.invoke(world.alice, "tips admin reset", locale="en-US")
    assert (await res.response(timeout=2)).content == "reset"


async def test_unregistered_commands_and_options_fail_in_the_test(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    with pytest.raises(SandboxError, match="no command /nope"):
        await sandbox.invoke(world.alice, "nope")
    with pytest.raises(SandboxError, match="no option"):
        await sandbox.invoke(world.alice, "tips add", options={"subject": "x"})
    with pytest.raises(SandboxError, match="needs a subcommand"):
        await sandbox.invoke(world.alice, "tips")
    with pytest.raises(SandboxError, match="requires option 'topic'"):
        await sandbox.invoke(world.alice, "tips add")
    with pytest.raises(SandboxError, match="expected"):
        await sandbox.invoke(world.alice, "tips add", options={"topic": 5})


async def test_dm_invocation(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    carol = sandbox.create_user("carol", locale="de")
    res = await sandbox.invoke(carol, "help")
    assert (await res.response(timeout=2)).content == "help in dm for carol"
    assert res.payload["context"] == 1
    assert "user" in res.payload
    assert "member" not in res.payload
    assert res.payload["channel"]["type"] == 1
    assert res.original is not None
    assert res.original.guild_id is None


async def test_autocomplete_returns_the_bots_choices(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    choices = await sandbox.autocomplete(
        world.alice, "tip", focused="topic", options={"topic": "gr"}
    )
    assert choices == [{"name": "Growth", "value": "growth"}, {"name": "Grit", "value": "grit"}]
