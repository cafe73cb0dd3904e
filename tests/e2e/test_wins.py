"""/win and /wins end to end: preview, delete, limits and mention safety."""

from __future__ import annotations

from bot.demo.transcript import find_button
from tests.e2e.conftest import Bot

NO_CHANNEL = "Saved. Wins are shared in a weekly celebration once a moderator sets one up with /setup celebrations."


async def test_win_is_private_with_a_preview_and_a_delete_button(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "win", text="Sent the application I had been avoiding")
    assert reply.ephemeral
    assert reply.allowed_mentions == {"parse": []}
    assert reply.content == NO_CHANNEL
    embed = reply.embeds[0]
    assert (
        embed["description"]
        == f"• Sent the application I had been avoiding — <@{bot.server.alice.id}>"
    )
    assert embed["footer"]["text"] == "Shown with your name"
    assert reply.message is not None
    deleted = await (
        await bot.sb.click(bot.server.alice, reply.message, find_button(reply.components, "Delete"))
    ).response(timeout=5)
    assert deleted.content == "Deleted that win. It will not appear in the celebration."
    again = await (
        await bot.sb.click(bot.server.alice, reply.message, find_button(reply.components, "Delete"))
    ).response(timeout=5)
    assert again.content == "That win is already gone."


async def test_anonymous_win_has_no_name(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "win", text="Asked for feedback", anonymous=True)
    assert reply.embeds[0]["description"] == "• Asked for feedback"
    assert reply.embeds[0]["footer"]["text"] == "Anonymous"


async def test_wins_lists_only_my_wins_with_delete_buttons(bot: Bot) -> None:
    empty = await bot.say(bot.server.alice, "wins")
    assert empty.content is not None
    assert empty.content.startswith("No wins noted this week yet.")
    await bot.say(bot.server.alice, "win", text="First")
    await bot.say(bot.server.alice, "win", text="Second", anonymous=True)
    await bot.say(bot.server.bob, "win", text="Bob's")
    mine = await bot.say(bot.server.alice, "wins")
    assert mine.ephemeral
    description = mine.embeds[0]["description"]
    assert "1. First" in description
    assert "2. Second" in description
    assert "Bob" not in description
    assert [c["label"] for row in mine.components for c in row["components"]] == [
        "Delete 1",
        "Delete 2",
    ]
    assert mine.message is not None
    stranger = await (
        await bot.sb.click(bot.server.bob, mine.message, find_button(mine.components, "Delete 1"))
    ).response(timeout=5)
    assert stranger.content == "These buttons belong to the person who asked."


async def test_bad_win_text_is_refused_and_nothing_saved(bot: Bot) -> None:
    for text, start in (
        ("x" * 301, "That text is 301 characters; the limit is 300."),
        ("   ", "That text was empty"),
        ("\u200b \u3164", "That text was empty"),  # invisible: the post would show nothing
        ("@everyone", "That text is only a mention."),
        ("\u2066@everyone\u2069", "That text is only a mention."),
    ):
        result = await bot.sb.invoke(
            bot.server.alice,
            "win",
            options={"text": text},
            channel=bot.server.general,
            enforce_limits=False,
        )
        reply = await result.response(timeout=5)
        assert reply.ephemeral
        assert (reply.content or "").startswith(start), reply.content
    listing = await bot.say(bot.server.alice, "wins")
    assert (listing.content or "").startswith("No wins noted this week yet.")


async def test_win_in_a_dm_explains(bot: Bot) -> None:
    stranger = bot.sb.create_user("dee")
    reply = await (await bot.sb.invoke(stranger, "win", options={"text": "hi"})).response(timeout=5)
    assert reply.content == "This works inside a server, so it can keep your numbers private there."
