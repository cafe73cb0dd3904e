"""Sharded Bounceback through the sandbox: every shard's servers answered, health, metrics.

One process running both shards of two, then two processes running one shard each, as an
operator would deploy them, on SQLite and on PostgreSQL; `/healthz` follows a shard going down and the database going
away, and comes back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yaml

from bot.app import App
from bot.clock import FakeClock
from bot.config import DiscordConfig, MonitoringConfig
from bot.monitoring.metrics import Metrics
from bot.offline import offline_bot
from discord_sandbox import Guild, Member, Sandbox
from tests.conftest import SEED
from tests.e2e.bot_process import bot_process
from tests.e2e.conftest import START, build_server, e2e_config

WAIT = 5.0
BERLIN_FRIDAY_6PM = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
# A shard that must IDENTIFY again waits out Discord's 5 s window since its last one.
REIDENTIFY_WAIT = 15.0


@pytest.fixture
async def sharded_sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(shards=2, max_concurrency=2, enforce_identify_limit=True) as sb:
        yield sb


def _servers(sb: Sandbox, count: int) -> list[tuple[Guild, Member]]:
    """`count` servers, alternating between the two shards, each with a member."""
    servers = []
    for n in range(count):
        guild = sb.create_guild(f"Circle {n}")
        guild.create_text_channel("general")
        servers.append((guild, guild.add_member(f"member{n}")))
    return servers


async def _tip_everywhere(sb: Sandbox, servers: list[tuple[Guild, Member]]) -> None:
    for guild, member in servers:
        reply = await (await sb.invoke(member, "tip")).response(timeout=WAIT)
        assert reply.ephemeral, guild.name
        assert reply.embeds, f"no tip in {guild.name}"


async def _get(http: aiohttp.ClientSession, app: App, path: str) -> tuple[int, Any]:
    assert app.monitoring is not None
    async with http.get(f"http://127.0.0.1:{app.monitoring.port}{path}") as response:
        if path == "/healthz":
            return response.status, await response.json()
        return response.status, await response.text()


async def test_one_process_with_two_shards_serves_and_reports_health(
    sharded_sandbox: Sandbox, tmp_path: Path, database_url: str
) -> None:
    sb = sharded_sandbox
    servers = _servers(sb, 4)
    assert [sb.shard_of(g, 2) for g, _ in servers] == [0, 1, 0, 1]
    config, _ = e2e_config(tmp_path, build_server(sb), database_url)
    config = replace(
        config,
        discord=DiscordConfig(shards=2),
        monitoring=MonitoringConfig(listen="127.0.0.1:0"),
    )
    async with offline_bot(sb, config, clock=FakeClock(START), seed=SEED) as app:
        assert sb.gateway.connected_shards() == [0, 1]
        await _tip_everywhere(sb, servers)
        shards = app.bot.monitor.shards
        async with aiohttp.ClientSession() as http:
            status, body = await _get(http, app, "/healthz")
            assert (status, body["status"]) == (200, "ok")
            assert body["shards"] == {"0": "connected", "1": "connected"}

            await sb.hold_shard(1)
            await shards.wait_for(lambda up: 1 not in up, WAIT)
            status, body = await _get(http, app, "/healthz")
            assert status == 503
            assert body["shards"] == {"0": "connected", "1": "disconnected"}
            assert "shard 1" in body["reason"]
            await _tip_everywhere(sb, servers[::2])  # shard 0's servers carry on
            await sb.release_shard(1)
            await shards.wait_for(lambda up: up == {0, 1}, WAIT)
            assert (await _get(http, app, "/healthz"))[0] == 200

            await app.db.close()
            status, body = await _get(http, app, "/healthz")
            assert status == 503
            assert body["database"] != "ok"
            assert "database" in body["reason"]
            await app.db.connect()
            assert (await _get(http, app, "/healthz"))[0] == 200

            member, general = servers[0][1], servers[0][0].channels[0]
            refused = await sb.invoke(member, "setup celebrations", options={"channel": general})
            assert (await refused.response(timeout=WAIT)).ephemeral  # not an admin
            status, text = await _get(http, app, "/metrics")
            assert status == 200
            assert 'bounceback_interactions_handled_total{command="tip"} 6.0' in text
            assert 'bounceback_shard_connected{shard="1"} 1.0' in text
            assert 'bounceback_gateway_latency_seconds{shard="0"}' in text
            assert 'bounceback_interactions_failed_total{command="setup celebrations"} 1.0' in text
            assert "bounceback_interaction_response_seconds_count 7.0" in text
            assert "bounceback_content_version 0.0" in text
            queries = text.split("bounceback_database_query_seconds_count ")[1].split()[0]
            assert float(queries) > 7  # every command's statements, timed by the adapter


async def _start_up_work_done() -> None:
    """Wait for the bot's running READY handlers (discord.py names each task after it)."""
    names = ("discord.py: on_ready", "discord.py: on_shard_ready")
    handlers = [t for t in asyncio.all_tasks() if t.get_name() in names]
    await asyncio.wait_for(asyncio.gather(*handlers), WAIT)


def _process_config(tmp_path: Path, content: Path, shard: int, database_url: str) -> Path:
    path = tmp_path / f"shard{shard}.yaml"
    settings = {
        "database": {"url": database_url},
        "content": {"directory": str(content), "watch": False},
        "discord": {"shards": 2, "shard_ids": [shard]},
    }
    path.write_text(yaml.safe_dump(settings))
    return path


async def test_two_processes_one_shard_each_answer_every_server(
    sharded_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    sb = sharded_sandbox
    servers = _servers(sb, 4)
    _, content = e2e_config(tmp_path, build_server(sb))
    monkeypatch.setenv("BOUNCEBACK_SECRET", os.urandom(32).hex())
    where = (sb.api_base, sb.base_url, sb.gateway_url, sb.token)
    async with bot_process(*where, _process_config(tmp_path, content, 0, database_url)) as first:
        await first.wait_for_line(lambda line: "ready:" in line)
        async with bot_process(
            *where, _process_config(tmp_path, content, 1, database_url)
        ) as second:
            await second.wait_for_line(lambda line: "ready:" in line)
            await sb.wait_shards(0, 1)
            await _tip_everywhere(sb, servers)
            assert sb.command_syncs == 1  # only the process running shard 0 synced
            await first.kill()
            await sb.gateway.changes.wait_for(
                lambda: sb.gateway.connected_shards() == [1] or None, WAIT, "shard 0 to drop"
            )
            await _tip_everywhere(sb, servers[1::2])  # the other process's servers go on


async def test_a_process_schedules_only_its_shards_and_catches_up_on_a_new_session(
    tmp_path: Path,
) -> None:
    async with Sandbox(shards=2, max_concurrency=2) as sb:
        servers = _servers(sb, 2)  # one server on each shard
        manage = discord.Permissions(manage_guild=True).value
        owners = [guild.add_member("olivia", permissions=manage) for guild, _ in servers]
        wins = [guild.create_text_channel("wins") for guild, _ in servers]
        config, _ = e2e_config(tmp_path, build_server(sb))
        clock = FakeClock(START)
        both = replace(config, discord=DiscordConfig(shards=2))
        async with offline_bot(sb, both, clock=clock, seed=SEED) as app:
            for owner, channel in zip(owners, wins, strict=True):
                options = {"channel": channel, "weekday": "friday", "time": "17:00"}
                options["timezone"] = "Europe/Berlin"
                setup = await sb.invoke(owner, "setup celebrations", options=options)
                assert (await setup.response(timeout=WAIT)).ephemeral
            celebrations = [j for j in app.bot.scheduler.job_ids() if j.startswith("celebration")]
            assert len(celebrations) == 2

        shard_1_only = replace(
            config,
            discord=DiscordConfig(shards=2, shard_ids=(1,)),
            monitoring=MonitoringConfig(listen="127.0.0.1:0"),  # metrics are kept for /metrics
        )
        async with offline_bot(sb, shard_1_only, clock=clock, seed=SEED) as app:
            celebrations = [j for j in app.bot.scheduler.job_ids() if j.startswith("celebration")]
            assert celebrations == [f"celebration:{servers[1][0].id}"]
            await _start_up_work_done()  # its catch-up ran while nothing was due
            clock.set(BERLIN_FRIDAY_6PM)  # due an hour ago, while nothing ran the job
            await sb.invalidate_session(1)  # Discord expired the session: a new READY
            post = await sb.wait_for_message(wins[1], timeout=REIDENTIFY_WAIT)
            assert post.author.id == sb.bot_user.id
            await _start_up_work_done()  # the new session's catch-up has finished
            assert wins[0].messages == []  # shard 0's server is the other process's to catch up
            assert isinstance(app.bot.monitor.metrics, Metrics)
            metrics = app.bot.monitor.metrics.render().decode()
            sent = 'bounceback_scheduled_posts_total{kind="celebration",result="sent"}'
            assert float(metrics.split(sent)[1].split()[0]) >= 1


async def test_an_unsharded_bot_reports_its_one_connection(tmp_path: Path) -> None:
    async with Sandbox() as sb:
        config, _ = e2e_config(tmp_path, build_server(sb))
        config = replace(config, monitoring=MonitoringConfig(listen="127.0.0.1:0"))
        async with offline_bot(sb, config, clock=FakeClock(START), seed=SEED) as app:
            shards = app.bot.monitor.shards
            async with aiohttp.ClientSession() as http:
                await shards.wait_for(lambda up: up == {0}, WAIT)
                assert (await _get(http, app, "/healthz"))[1]["shards"] == {"0": "connected"}
                await sb.hold_shard(0)
                await shards.wait_for(lambda up: not up, WAIT)
                status, body = await _get(http, app, "/healthz")
                assert (status, body["reason"]) == (503, "shard 0 is disconnected")
                await sb.release_shard(0)
                await shards.wait_for(lambda up: up == {0}, WAIT)
                assert (await _get(http, app, "/healthz"))[0] == 200
