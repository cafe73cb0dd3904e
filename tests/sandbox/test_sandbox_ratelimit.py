"""Rate limits: headers on every response, 429 shape, and discord.py retrying through them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from sandbox_testbot import ProbeBot, start_bot, stop_bot

from discord_sandbox import RateLimitPolicy, Sandbox, point_discord_at

HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Reset-After",
    "X-RateLimit-Bucket",
)


async def test_every_response_has_rate_limit_headers(sandbox: Sandbox) -> None:
    auth = {"Authorization": f"Bot {sandbox.token}"}
    async with aiohttp.ClientSession(headers=auth) as session:
        async with session.get(f"{sandbox.api_base}/users/@me") as ok:
            assert ok.headers["Content-Type"] == "application/json"
            assert all(h in ok.headers for h in HEADERS)
        async with session.get(f"{sandbox.api_base}/channels/1") as missing:
            assert missing.status == 404
            assert all(h in missing.headers for h in HEADERS)


async def test_per_channel_limit_answers_429_like_discord() -> None:
    policy = RateLimitPolicy(messages_per_channel=2, message_window=30)
    async with Sandbox(enforce_rate_limits=True, rate_limits=policy) as sb:
        channel = sb.create_guild("G").create_text_channel("c")
        url = f"{sb.api_base}/channels/{channel.id}/messages"
        async with aiohttp.ClientSession(headers={"Authorization": f"Bot {sb.token}"}) as session:
            statuses = []
            for n in range(2):
                async with session.post(url, json={"content": str(n)}) as resp:
                    statuses.append(resp.status)
            async with session.post(url, json={"content": "third"}) as limited:
                assert limited.headers["Via"] == "1.1 google"
                assert int(limited.headers["Retry-After"]) >= 1
                assert limited.headers["X-RateLimit-Remaining"] == "0"
                body = await limited.json()
            assert [*statuses, limited.status] == [200, 200, 429]
            assert body["global"] is False
            assert 0 < body["retry_after"] <= 30
        assert sb.stats.rate_limited == 1


@pytest.fixture
async def limited() -> AsyncIterator[tuple[Sandbox, ProbeBot]]:
    policy = RateLimitPolicy(global_per_second=4)
    async with Sandbox(enforce_rate_limits=True, rate_limits=policy) as sb:
        guild = sb.create_guild("Busy")
        for n in range(8):
            guild.create_text_channel(f"c{n}")
        with point_discord_at(sb):
            client = ProbeBot()
            sb.enforce_rate_limits = False  # let login and sync through
            task = await start_bot(sb, client)
            sb.enforce_rate_limits = True
            yield sb, client
            await stop_bot(client, task)


@pytest.mark.discord_warnings  # discord.py warns on every 429 it retries
async def test_global_limit_429_then_discord_py_retries(limited: tuple[Sandbox, ProbeBot]) -> None:
    sb, bot = limited
    [guild] = sb.guilds
    started = time.monotonic()
    channels = [bot.get_channel(c.id) for c in guild.channels]
    sent = await asyncio.gather(
        *(c.send("hello") for c in channels if isinstance(c, discord.TextChannel))
    )
    assert len(sent) == 8
    assert sum(len(c.live_messages) for c in guild.channels) == 8
    assert sb.stats.global_rate_limited >= 1
    assert time.monotonic() - started < 3.5


async def test_interaction_callbacks_are_exempt(limited: tuple[Sandbox, ProbeBot]) -> None:
    sb, _ = limited
    [guild] = sb.guilds
    member = guild.add_member("dana")
    results = [await sb.invoke(member, "ping") for _ in range(8)]
    replies = [await r.response(timeout=2) for r in results]
    assert [r.content for r in replies] == ["pong"] * 8
    assert sb.stats.rate_limited == 0
