"""Message nonces: a retried send after a lost response creates one message, as on Discord."""

from __future__ import annotations

import discord
import pytest
from discord.http import MultipartParameters, handle_message_parameters
from sandbox_testbot import ProbeBot, Scene

from discord_sandbox import Sandbox

ROUTE = "/channels/{channel_id}/messages"


def _live(sandbox: Sandbox, channel_id: int) -> list[str]:
    return [m.content for m in sandbox.world.channels[channel_id].live_messages]


def _plain(text: str) -> MultipartParameters:
    return handle_message_parameters(content=text)


def _text(bot: ProbeBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_lost_response_without_nonce_posts_twice(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.fail_next("POST", ROUTE, status=500, after=True)
    await bot.http.send_message(world.wins.id, params=_plain("hello"))  # retried on the 500
    assert _live(sandbox, world.wins.id) == ["hello", "hello"]


async def test_discord_py_own_retry_is_deduplicated_by_its_random_nonce(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.fail_next("POST", ROUTE, status=500, after=True)
    await _text(bot, world.wins.id).send("hello")  # discord.py retries the 500 by itself
    assert _live(sandbox, world.wins.id) == ["hello"]


async def test_enforced_nonce_returns_the_earlier_message(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.fail_next("POST", ROUTE, status=500, after=True)
    sent = await _text(bot, world.wins.id).send("hello", nonce="week-48-part-1")
    assert _live(sandbox, world.wins.id) == ["hello"]
    again = await _text(bot, world.wins.id).send("hello", nonce="week-48-part-1")
    assert again.id == sent.id
    assert sandbox.world.nonces.deduplicated == 2


async def test_same_nonce_in_another_channel_is_a_new_message(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    await _text(bot, world.wins.id).send("a", nonce="n1")
    await _text(bot, world.general.id).send("b", nonce="n1")
    assert _live(sandbox, world.wins.id) == ["a"]
    assert _live(sandbox, world.general.id) == ["b"]


async def test_overlong_nonce_is_refused(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await _text(bot, world.wins.id).send("a", nonce="x" * 26)
    assert refused.value.code == 50035
    assert _live(sandbox, world.wins.id) == []


async def test_a_failure_staged_for_one_channel_leaves_the_others_served(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.fail_next("POST", ROUTE, status=503, times=5, channel_id=world.wins.id)
    await _text(bot, world.general.id).send("elsewhere")
    with pytest.raises(discord.DiscordServerError):
        await _text(bot, world.wins.id).send("here")
    assert _live(sandbox, world.general.id) == ["elsewhere"]
    assert _live(sandbox, world.wins.id) == []
    assert sandbox.failures_served == 1
