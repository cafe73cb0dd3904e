"""/accountability leave: a member who leaves is no longer added to the next week's thread."""

from __future__ import annotations

from datetime import timedelta

from discord_sandbox import Channel
from tests.e2e.conftest import Bot
from tests.e2e.test_accountability import MONDAY_9, _fire, _setup


def _threads(bot: Bot, parent: Channel) -> list[Channel]:
    return [c for c in bot.sb.world.channels.values() if c.is_thread and c.parent_id == parent.id]


async def test_leaving_stops_the_weekly_adds_and_keeps_goals(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    await _setup(bot, goals)
    for member in (bot.server.alice, bot.server.bob):
        await bot.say(member, "accountability join")
    await bot.say(bot.server.alice, "goal set", text="Send two applications", private=True)

    left = await bot.say(bot.server.alice, "accountability leave")
    assert left.ephemeral
    assert left.content == (
        "You've left the weekly threads. Your goals stay yours; "
        "/accountability join brings you back any time."
    )
    again = await bot.say(bot.server.alice, "accountability leave")
    assert again.content == "You had not joined the weekly threads, so nothing changed."

    assert await _fire(bot, "accountability") == "sent"
    (thread,) = _threads(bot, goals)
    assert bot.server.bob.id in thread.thread_members
    assert bot.server.alice.id not in thread.thread_members
    listing = await bot.say(bot.server.alice, "goal list")
    assert "Send two applications" in listing.embeds[0]["description"]

    status = await bot.say(bot.server.alice, "accountability status")
    assert status.ephemeral
    await bot.say(bot.server.alice, "accountability join")
    bot.clock.set(MONDAY_9 + timedelta(days=7, minutes=1))
    assert await _fire(bot, "accountability") == "sent"
    newest = max(_threads(bot, goals), key=lambda c: c.id)
    assert bot.server.alice.id in newest.thread_members


async def test_leaving_before_ever_joining_changes_nothing(bot: Bot) -> None:
    reply = await bot.say(bot.server.bob, "accountability leave")
    assert reply.ephemeral
    assert reply.content == "You had not joined the weekly threads, so nothing changed."
