"""/forget-me racing /tip: the tip history queued in memory never writes a forgotten member back.

/tip keeps the tips a member has seen in memory and writes them a moment later.
Here the member presses /tip and "Another tip" while their /forget-me is waiting
for the database (busy with another write): those presses happened before the
deletion, so once it is done, no row about the member may remain anywhere,
neither from the queue nor from a batch already on its way to the database.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.demo.transcript import find_button
from discord_sandbox import InteractionResponse, Member
from tests.e2e.conftest import Bot, both_backends
from tests.e2e.test_privacy import _forget, _member_rows

e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")

TOPIC = "not-personal"
PRESSES = 3  # cards, each pressed with /tip and Another tip per burst


async def _tip(bot: Bot, who: Member) -> InteractionResponse:
    reply = await bot.say(who, "tip", topic=TOPIC)
    assert reply.ephemeral
    return reply


async def _press_tips(bot: Bot, who: Member, cards: list[InteractionResponse]) -> None:
    """/tip and "Another tip" on each card, all at once; wait until every tip is shown."""
    pending = []
    for card in cards:
        assert card.message is not None
        another = find_button(card.message.components, "Another tip")
        pending.append(await bot.sb.invoke(who, "tip", options={"topic": TOPIC}))
        pending.append(await bot.sb.click(who, card.message, another))
    shown = await asyncio.gather(*(p.response(timeout=5) for p in pending))
    assert all(reply.embeds for reply in shown)


async def test_tips_pressed_while_forget_me_runs_are_forgotten_too(bot: Bot) -> None:
    alice, bob = bot.server.alice, bot.server.bob
    history = bot.app.bot.services.history
    cards = [await _tip(bot, alice) for _ in range(PRESSES)]
    await _tip(bot, bob)
    await history.flush()
    assert (await _member_rows(bot, alice))["tip_seen"] == PRESSES
    confirm = await _forget(bot, alice)
    assert confirm.message is not None

    async with bot.app.db.transaction():  # another write holds the database for a moment
        forget = await bot.sb.click(
            alice, confirm.message, find_button(confirm.components, "Delete everything")
        )
        await _press_tips(bot, alice, cards)
        in_flight = asyncio.create_task(history.flush())  # a batch already on its way
        await _press_tips(bot, alice, cards)  # and more still queued behind it
    done = await forget.response(timeout=5)
    assert (done.content or "").startswith("Done.")
    await asyncio.wait_for(in_flight, 5)
    await history.flush()

    after = await _member_rows(bot, alice)
    assert after == dict.fromkeys(after, 0)
    assert (await _member_rows(bot, bob))["tip_seen"] == 1
    again = await _tip(bot, alice)  # a tip after forgetting is remembered as usual
    assert again.embeds
    await history.flush()
    assert (await _member_rows(bot, alice))["tip_seen"] == 1
