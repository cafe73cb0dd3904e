"""A cluster as an operator runs it: two real bot processes, shards {0,1} and {2,3} of 4.

Both processes talk to one sandbox and one PostgreSQL. Every command works in servers of
every shard, the command tree is synced once whichever process gets there first, a
`/tips reload` in one process reaches the other, weekly posts go out once per server, and
a process that was down catches up its own servers' missed posts when it comes back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
import yaml

from discord_sandbox import Channel, Guild, Member, Sandbox
from tests.backends import fresh_url
from tests.e2e.bot_process import BotProcess, bot_process
from tests.e2e.conftest import build_server, e2e_config

WAIT = 10.0
# Four shards in one IDENTIFY bucket start one per 5 s (plus the cluster's margin).
START_WAIT = 40.0
SHARDS = 4
PROCESSES = ((0, 1), (2, 3))
MISCONFIGURED = (0, 1, 2, 3)  # a third process that wrongly claims every shard
NEW_TIP = """\
tips:
  - id: zz-cluster-01
    topic: resilience
    text: Saved once, served by every process.
"""


@pytest.fixture
async def postgres_url(tmp_path: Path) -> AsyncIterator[str]:
    """Yield a fresh PostgreSQL database: a cluster shares one (skipped without a server)."""
    async with fresh_url("postgres", tmp_path) as url:
        yield url


class Circle:
    """One server of the cluster: its owner, a member and a channel for weekly posts."""

    def __init__(self, sb: Sandbox, n: int) -> None:
        self.guild: Guild = sb.create_guild(f"Circle {n}")
        self.general: Channel = self.guild.create_text_channel("general")
        self.wins: Channel = self.guild.create_text_channel("wins")
        manage = discord.Permissions(manage_guild=True).value
        self.owner: Member = self.guild.add_member(f"owner{n}", permissions=manage)
        self.member: Member = self.guild.add_member(f"member{n}")
        self.shard = sb.shard_of(self.guild, SHARDS)


def _one_per_shard(sb: Sandbox) -> list[Circle]:
    """Create servers until every shard has one; return one per shard, in shard order."""
    found: dict[int, Circle] = {}
    n = 0
    while len(found) < SHARDS:
        circle = Circle(sb, n)
        found.setdefault(circle.shard, circle)
        n += 1
    return [found[shard] for shard in range(SHARDS)]


def _config(tmp_path: Path, content: Path, ids: tuple[int, ...], url: str) -> Path:
    path = tmp_path / f"shards-{'-'.join(map(str, ids))}.yaml"
    settings = {
        "database": {"url": url},
        # No file watcher: a reload must reach the other process through the database.
        "content": {"directory": str(content), "watch": False},
        "discord": {"shards": SHARDS, "shard_ids": list(ids)},
        "schedule": {"grace_period_hours": 12},
    }
    path.write_text(yaml.safe_dump(settings))
    return path


class Cluster:
    """Starts and stops the two processes of the cluster against one sandbox and database."""

    def __init__(self, sb: Sandbox, tmp_path: Path, url: str, stack: AsyncExitStack) -> None:
        self.sb = sb
        _, self.content = e2e_config(tmp_path, build_server(sb))
        self.plans = (*PROCESSES, MISCONFIGURED)
        self.configs = [_config(tmp_path, self.content, ids, url) for ids in self.plans]
        self._stack = stack

    async def start(self, which: int) -> BotProcess:
        """Start process `which` (0: shards 0-1, 1: shards 2-3, 2: all); return once READY."""
        where = (self.sb.api_base, self.sb.base_url, self.sb.gateway_url, self.sb.token)
        child = await self._stack.enter_async_context(bot_process(*where, self.configs[which]))
        await child.wait_for_line(lambda line: "ready:" in line)
        await self.sb.wait_shards(*self.plans[which], timeout=START_WAIT)
        return child


@pytest.fixture(params=[SHARDS])
async def cluster(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Cluster]:
    """Yield a cluster whose sandbox enforces IDENTIFY limits, `max_concurrency` = the param."""
    monkeypatch.setenv("BOUNCEBACK_SECRET", os.urandom(32).hex())
    concurrency = int(request.param)
    async with (
        Sandbox(shards=SHARDS, max_concurrency=concurrency, enforce_identify_limit=True) as sb,
        AsyncExitStack() as stack,
    ):
        yield Cluster(sb, tmp_path, postgres_url, stack)


@pytest.mark.parametrize("cluster", [1], indirect=True)
async def test_processes_starting_together_take_turns_to_identify(cluster: Cluster) -> None:
    sb = cluster.sb
    circles = _one_per_shard(sb)
    await asyncio.gather(cluster.start(0), cluster.start(1))  # one bucket for all four shards
    assert sb.gateway_stats.invalid_sessions == 0  # no IDENTIFY came too soon after another
    assert sb.gateway_stats.identifies == SHARDS
    for circle in circles:
        tip = await (await sb.invoke(circle.member, "tip")).response(timeout=WAIT)
        assert tip.embeds, f"no tip on shard {circle.shard}"


async def test_every_shard_answers_the_tree_syncs_once_and_a_reload_reaches_both(
    cluster: Cluster,
) -> None:
    sb = cluster.sb
    circles = _one_per_shard(sb)
    first, second = await asyncio.gather(cluster.start(0), cluster.start(1))
    assert sb.command_syncs == 1  # both raced for the claim; one process synced
    for circle in circles:
        tip = await (await sb.invoke(circle.member, "tip")).response(timeout=WAIT)
        assert tip.embeds, f"no tip on shard {circle.shard}"
        for command in ("about", "help", "privacy", "my-data"):
            reply = await (await sb.invoke(circle.member, command)).response(timeout=WAIT)
            assert reply.ephemeral, f"no /{command} answer on shard {circle.shard}"

    (cluster.content / "tips" / "zz-cluster.yaml").write_text(NEW_TIP)
    reload = await sb.invoke(circles[0].owner, "tips reload")  # shard 0: the first process
    assert "Content reloaded" in ((await reload.response(timeout=WAIT)).content or "")
    await second.wait_for_line(lambda line: "content reloaded:" in line, WAIT)
    preview = await sb.invoke(circles[2].owner, "tips preview", options={"tip": "zz-cluster-01"})
    shown = await preview.response(timeout=WAIT)  # shard 2: the second process
    assert shown.embeds[0]["description"] == "Saved once, served by every process."
    assert first.alive
    assert second.alive


def _due_a_minute_ago() -> dict[str, str]:
    due = datetime.now(UTC) - timedelta(minutes=1)
    return {"weekday": due.strftime("%A").lower(), "time": due.strftime("%H:%M"), "timezone": "UTC"}


def _posts(channel: Channel) -> list[object]:
    return [m for m in channel.messages if m.embeds]


async def test_weekly_posts_go_out_once_and_a_restarted_process_catches_up_its_own(
    cluster: Cluster,
) -> None:
    sb = cluster.sb
    circles = _one_per_shard(sb)
    first, second = await asyncio.gather(cluster.start(0), cluster.start(1))
    for circle in circles:  # due a minute ago: nothing fires until a catch-up
        options = {"channel": circle.wins, **_due_a_minute_ago()}
        setup = await sb.invoke(circle.owner, "setup celebrations", options=options)
        assert (await setup.response(timeout=WAIT)).ephemeral
    await first.kill()
    await second.kill()

    first = await cluster.start(0)  # the second process stays down
    for circle in circles[:2]:
        post = await sb.wait_for_message(circle.wins, timeout=WAIT)
        assert post.author.id == sb.bot_user.id
    await first.wait_for_line(lambda line: "catch-up finished" in line, WAIT)
    assert all(_posts(c.wins) == [] for c in circles[2:])  # not the first process's to post

    second = await cluster.start(1)  # back: it catches up its own servers' missed posts
    for circle in circles[2:]:
        await sb.wait_for_message(circle.wins, timeout=WAIT)
    await second.wait_for_line(lambda line: "catch-up finished" in line, WAIT)
    for circle in circles:
        assert len(_posts(circle.wins)) == 1, f"shard {circle.shard}"


async def test_a_misconfigured_process_owning_every_shard_still_leaves_one_post_each(
    cluster: Cluster,
) -> None:
    sb = cluster.sb
    circles = _one_per_shard(sb)
    first, second = await asyncio.gather(cluster.start(0), cluster.start(1))
    for circle in circles:
        options = {"channel": circle.wins, **_due_a_minute_ago()}
        setup = await sb.invoke(circle.owner, "setup celebrations", options=options)
        assert (await setup.response(timeout=WAIT)).ephemeral
    await first.kill()
    await second.kill()

    # Both catch up shards 0 and 1 at once: the claims in the database keep it to one post.
    first, everything = await asyncio.gather(cluster.start(0), cluster.start(2))
    for child in (first, everything):
        await child.wait_for_line(lambda line: "catch-up finished" in line, WAIT)
    for circle in circles:
        assert len(_posts(circle.wins)) == 1, f"shard {circle.shard}"
