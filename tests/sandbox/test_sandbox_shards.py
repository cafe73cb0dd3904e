"""Sharding: each session sees only its shard's guilds, per-shard RESUME, start limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from discord_sandbox import Guild, Sandbox, SandboxTimeout, point_discord_at

GUILDS = discord.Intents.guilds.flag


class ShardedProbe(discord.AutoShardedClient):
    """A sharded client whose /where says which shard's guild answered."""

    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, guild_ready_timeout=0.05, **options)
        self.tree = app_commands.CommandTree(self)
        self.resumed_shards: list[int] = []

        @self.tree.command(description="Say which shard serves this server")
        async def where(interaction: discord.Interaction) -> None:
            guild = interaction.guild
            await interaction.response.send_message(f"shard {guild.shard_id if guild else 0}")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Identify at once: the tests give every shard its own concurrency bucket."""

    async def on_shard_resumed(self, shard_id: int) -> None:
        self.resumed_shards.append(shard_id)


@pytest.fixture
async def sharded() -> AsyncIterator[Sandbox]:
    async with Sandbox(shards=2, max_concurrency=4, enforce_identify_limit=True) as sb:
        yield sb


def _guilds(sb: Sandbox, count: int) -> list[Guild]:
    guilds = [sb.create_guild(f"Circle {n}") for n in range(count)]
    for guild in guilds:
        guild.create_text_channel("general")
    return guilds


async def _start(sb: Sandbox, client: ShardedProbe) -> asyncio.Task[None]:
    await client.login(sb.token)
    await client.tree.sync()
    task = asyncio.create_task(client.connect())
    await asyncio.wait_for(client.wait_until_ready(), 5)
    return task


async def _stop(client: ShardedProbe, task: asyncio.Task[None]) -> None:
    await client.close()
    await asyncio.wait_for(task, 5)


async def _identify(
    http: aiohttp.ClientSession, sb: Sandbox, shard: list[int]
) -> tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]:
    ws = await http.ws_connect(sb.gateway_url)
    await ws.receive_json(timeout=2)  # HELLO
    identify = {"token": sb.token, "intents": GUILDS, "properties": {}, "shard": shard}
    await ws.send_json({"op": 2, "d": identify})
    return ws, await ws.receive_json(timeout=2)


async def _next_dispatch(ws: aiohttp.ClientWebSocketResponse, event: str) -> dict[str, Any]:
    while True:
        frame = await ws.receive_json(timeout=2)
        if frame.get("t") == event:
            return dict(frame["d"])


async def test_each_session_gets_only_its_shards_guilds(sharded: Sandbox) -> None:
    guilds = _guilds(sharded, 4)
    assert [sharded.shard_of(g, 2) for g in guilds] == [0, 1, 0, 1]
    async with aiohttp.ClientSession() as http:
        where = [{"name": "where", "description": "Which shard", "type": 1}]
        url = f"{sharded.api_base}/applications/{sharded.application_id}/commands"
        await http.put(url, json=where, headers={"Authorization": f"Bot {sharded.token}"})
        ws0, ready0 = await _identify(http, sharded, [0, 2])
        ws1, ready1 = await _identify(http, sharded, [1, 2])
        assert ready0["d"]["shard"] == [0, 2]
        assert [g["id"] for g in ready0["d"]["guilds"]] == [str(guilds[0].id), str(guilds[2].id)]
        assert [g["id"] for g in ready1["d"]["guilds"]] == [str(guilds[1].id), str(guilds[3].id)]
        created = [(await _next_dispatch(ws1, "GUILD_CREATE"))["id"] for _ in range(2)]
        assert created == [str(guilds[1].id), str(guilds[3].id)]

        await sharded.invoke(guilds[1].members[guilds[1].owner_id], "where")
        await sharded.invoke(guilds[0].members[guilds[0].owner_id], "where")
        on_shard_1 = await _next_dispatch(ws1, "INTERACTION_CREATE")
        on_shard_0 = await _next_dispatch(ws0, "INTERACTION_CREATE")
        # Shard 0's first interaction is guild 0's: guild 1's went to shard 1 only.
        assert (on_shard_0["guild_id"], on_shard_1["guild_id"]) == (
            str(guilds[0].id),
            str(guilds[1].id),
        )
        late = sharded.create_guild("Joined later")  # the fifth guild: shard 0
        assert (await _next_dispatch(ws0, "GUILD_CREATE"))["id"] == str(late.id)
        await ws0.close()
        await ws1.close()


async def test_a_sharded_client_answers_in_every_shards_servers(sharded: Sandbox) -> None:
    guilds = _guilds(sharded, 4)
    with point_discord_at(sharded):
        client = ShardedProbe(shard_count=2)
        task = await _start(sharded, client)
        assert sharded.gateway.connected_shards() == [0, 1]
        assert {g.id for g in client.guilds} == {g.id for g in guilds}
        for guild in guilds:
            owner = guild.members[guild.owner_id]
            reply = await (await sharded.invoke(owner, "where")).response(timeout=2)
            assert reply.content == f"shard {sharded.shard_of(guild, 2)}"
        await _stop(client, task)


async def test_the_recommended_shard_count_is_what_auto_sharding_uses() -> None:
    async with Sandbox(shards=3, max_concurrency=3, enforce_identify_limit=True) as sb:
        _guilds(sb, 3)
        with point_discord_at(sb):
            client = ShardedProbe()
            task = await _start(sb, client)
            assert client.shard_count == 3
            assert sb.gateway.connected_shards() == [0, 1, 2]
            limits = await client.fetch_session_start_limits()
            assert (limits.max_concurrency, limits.remaining) == (3, limits.total - 3)
            await _stop(client, task)


async def test_one_shard_resumes_alone_and_gets_what_it_missed(sharded: Sandbox) -> None:
    guilds = _guilds(sharded, 2)
    with point_discord_at(sharded):
        client = ShardedProbe(shard_count=2)
        task = await _start(sharded, client)
        await sharded.hold_shard(1)
        assert sharded.gateway.connected_shards() == [0]
        missed = guilds[1].create_text_channel("made-while-down")
        answered = await sharded.invoke(guilds[0].members[guilds[0].owner_id], "where")
        assert (await answered.response(timeout=2)).content == "shard 0"
        await sharded.release_shard(1)
        await sharded.wait_resumed()
        await sharded.wait_shards(0, 1)
        assert sharded.gateway_stats.identifies == 2  # no shard identified again
        await sharded.gateway.changes.wait_for(
            lambda: client.resumed_shards or None, 2, "on_shard_resumed"
        )
        assert client.resumed_shards == [1]
        assert client.get_channel(missed.id) is not None
        await _stop(client, task)


async def test_a_missing_shard_leaves_its_servers_unanswered(sharded: Sandbox) -> None:
    guilds = _guilds(sharded, 2)
    with point_discord_at(sharded):
        client = ShardedProbe(shard_count=2, shard_ids=[0])
        task = await _start(sharded, client)
        served = await sharded.invoke(guilds[0].members[guilds[0].owner_id], "where")
        assert (await served.response(timeout=2)).content == "shard 0"
        unserved = await sharded.invoke(guilds[1].members[guilds[1].owner_id], "where")
        with pytest.raises(SandboxTimeout):
            await unserved.response(timeout=0.5)
        await _stop(client, task)


async def test_identify_is_limited_per_concurrency_bucket() -> None:
    limited = Sandbox(shards=4, max_concurrency=2, enforce_identify_limit=True)
    async with limited as sb, aiohttp.ClientSession() as http:
        gateway_bot = await http.get(
            f"{sb.api_base}/gateway/bot", headers={"Authorization": f"Bot {sb.token}"}
        )
        body = await gateway_bot.json()
        assert body["shards"] == 4
        assert body["session_start_limit"]["max_concurrency"] == 2
        sockets = []
        for shard in range(3):
            ws, first = await _identify(http, sb, [shard, 4])
            sockets.append((ws, first))
        # Shards 0 and 1 fill the two buckets; shard 2 shares shard 0's within 5 s.
        assert [first.get("t") for _, first in sockets] == ["READY", "READY", None]
        assert sockets[2][1] == {"op": 9, "d": False, "s": None, "t": None}
        assert sb.gateway_stats.invalid_sessions == 1
        for ws, _ in sockets:
            await ws.close()


async def test_an_expired_session_identifies_again_and_serves_its_servers() -> None:
    async with Sandbox(shards=2, max_concurrency=2) as sb:
        guilds = _guilds(sb, 2)
        with point_discord_at(sb):
            client = ShardedProbe(shard_count=2)
            task = await _start(sb, client)
            await sb.invalidate_session(1)
            await sb.gateway.changes.wait_for(
                lambda: sb.gateway_stats.identifies == 3 or None, 5, "shard 1 to identify again"
            )
            await sb.wait_shards(0, 1)
            assert sb.gateway_stats.invalid_sessions == 1  # its RESUME was refused first
            owner = guilds[1].members[guilds[1].owner_id]
            reply = await (await sb.invoke(owner, "where")).response(timeout=2)
            assert reply.content == "shard 1"
            await _stop(client, task)


@pytest.fixture
async def overlapping() -> AsyncIterator[Sandbox]:
    """Two shards, IDENTIFY not paced: a shard can identify twice in a row."""
    async with Sandbox(shards=2, max_concurrency=2) as sb:
        yield sb


async def _answer(
    http: aiohttp.ClientSession, sb: Sandbox, interaction: dict[str, Any], text: str
) -> int:
    """Answer an interaction over REST as a bot would; return the HTTP status."""
    url = f"{sb.api_base}/interactions/{interaction['id']}/{interaction['token']}/callback"
    response = await http.post(url, json={"type": 4, "data": {"content": text}})
    return response.status


async def test_two_sessions_of_one_shard_both_get_its_interactions_first_answer_wins(
    overlapping: Sandbox,
) -> None:
    sharded = overlapping
    guild = _guilds(sharded, 1)[0]
    owner = guild.members[guild.owner_id]
    async with aiohttp.ClientSession() as http:
        where = [{"name": "where", "description": "Which shard", "type": 1}]
        url = f"{sharded.api_base}/applications/{sharded.application_id}/commands"
        await http.put(url, json=where, headers={"Authorization": f"Bot {sharded.token}"})
        old, _ = await _identify(http, sharded, [0, 2])
        new, ready = await _identify(http, sharded, [0, 2])  # a deploy's new process, beside
        assert [g["id"] for g in ready["d"]["guilds"]] == [str(guild.id)]
        assert len(sharded.gateway.session_ids(0)) == 2
        assert sharded.gateway.connected_shards() == [0]

        invoked = await sharded.invoke(owner, "where")
        seen_by_old = await _next_dispatch(old, "INTERACTION_CREATE")
        seen_by_new = await _next_dispatch(new, "INTERACTION_CREATE")
        assert seen_by_old["id"] == seen_by_new["id"]  # the same interaction, twice
        assert await _answer(http, sharded, seen_by_new, "from the new one") == 200
        assert await _answer(http, sharded, seen_by_old, "from the old one") == 400  # 40060
        assert (await invoked.response(timeout=2)).content == "from the new one"

        # Discord ends the old session (it stopped heartbeating); the new one carries on alone.
        await sharded.invalidate_session(0, sharded.gateway.session_ids(0)[0])
        assert len(sharded.gateway.session_ids(0)) == 1
        again = await sharded.invoke(owner, "where")
        assert (
            await _answer(
                http, sharded, await _next_dispatch(new, "INTERACTION_CREATE"), "still here"
            )
            == 200
        )
        assert (await again.response(timeout=2)).content == "still here"
        await old.close()
        await new.close()


async def test_a_shard_identifying_anew_replaces_its_disconnected_session(
    overlapping: Sandbox,
) -> None:
    sharded = overlapping
    _guilds(sharded, 1)
    async with aiohttp.ClientSession() as http:
        first, _ = await _identify(http, sharded, [0, 2])
        await sharded.drop_connection(shard=0)  # gone, but resumable until the shard identifies
        assert len(sharded.gateway.session_ids(0)) == 1
        second, _ = await _identify(http, sharded, [0, 2])
        assert len(sharded.gateway.session_ids(0)) == 1  # the old one can no longer be resumed
        assert sharded.gateway.connected
        await first.close()
        await second.close()
