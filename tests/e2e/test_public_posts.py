"""Public posts that carry member words: shown as typed, posted once, and honest when Discord fails.

Hostile goal text and display names go through the real bot; the assertions
read the message body the sandbox received as Discord would render it.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest

from bot.demo.transcript import find_button
from discord_sandbox import Channel, InteractionResponse, Member, Message
from tests.e2e.conftest import Bot

MESSAGES_ROUTE = "/channels/{channel_id}/messages"
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# Discord's autolink rule: the URL itself is shown, so it is not a disguised link.
DISCORD_URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
CHIP = re.compile(r"<(?:@[!&]?\d+|#\d+|/[^>]+:\d+)>")
SUPPRESS_EMBEDS = 1 << 2
ALREADY_SHARED = "Already shared, thank you. Once is plenty."
NOT_POSTED = "couldn't post it in this week's thread"


def _escaped(text: str, index: int) -> bool:
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _assert_renders_as_plain_text(message: Message) -> None:
    """No masked link, no mention chip, no ping, no bidi override, no link preview."""
    content = DISCORD_URL.sub(lambda m: "u" * len(m[0]), message.content)
    brackets = [i for i, c in enumerate(content) if c in "[<" and not _escaped(content, i)]
    assert not [i for i in brackets if CHIP.match(content, i)], message.content
    assert not [i for i in brackets if content[i] == "["], message.content
    assert "@everyone" not in content
    assert "@here" not in content
    assert not BIDI & set(message.content)
    assert message.allowed_mentions == {"parse": []}
    assert message.mention_ids == []
    assert message.mention_role_ids == []
    assert message.mention_everyone is False


def _hostile(bot: Bot) -> str:
    s = bot.server
    return (
        f"[cv](https://a.example) [jobs](https://evil.example) <@{s.bob.id}> "
        f"<@&{s.mod_role_id}> <#{s.general.id}> </goal set:1> @everyone "
        "\u202eevil\u2066 ||x|| **b**"
    )


def _hostile_member(bot: Bot) -> Member:
    s = bot.server
    name = f"[me](https://e.example)<@{s.bob.id}>@here\u202e"
    return s.guild.add_member("mallory", global_name=name)


async def _weekly_thread(bot: Bot, *members: Member) -> Channel:
    goals = bot.server.guild.create_text_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=goals)
    for member in members:
        await bot.say(member, "accountability join")
    outcome = await bot.app.bot.scheduler.fire(f"accountability:{bot.server.guild.id}")
    assert getattr(outcome, "status", outcome) == "sent"
    (thread,) = [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id]
    return thread


def _to(path: str, channel: Channel) -> bool:
    return path == f"/channels/{channel.id}/messages"


def _goals_in(thread: Channel, words: str) -> list[Message]:
    return [m for m in thread.live_messages if words in m.content]


def _goal_texts(bot: Bot, who: Member) -> list[str]:
    with sqlite3.connect(bot.app.config.database_path) as db:
        rows = db.execute("SELECT text FROM goals WHERE user_id = ?", (who.id,)).fetchall()
    return [str(r[0]) for r in rows]


async def test_hostile_goal_text_and_name_reach_the_thread_as_plain_text(bot: Bot) -> None:
    mallory = _hostile_member(bot)
    thread = await _weekly_thread(bot, mallory)
    reply = await bot.say(mallory, "goal set", text=_hostile(bot))
    assert (reply.content or "").startswith("Goal saved")
    posted = await bot.sb.wait_for_message(thread, lambda m: "is aiming for" in m.content)
    _assert_renders_as_plain_text(posted)
    assert posted.flags & SUPPRESS_EMBEDS
    assert "https://evil.example" in posted.content  # shown, not hidden behind "jobs"


async def test_a_hostile_display_name_in_a_named_tip_share_is_plain_text(bot: Bot) -> None:
    mallory = _hostile_member(bot)
    posted = await _shared_tip(bot, mallory, "Share with my name")
    _assert_renders_as_plain_text(posted)
    assert posted.content.endswith("found this worth passing on:")


async def _share_prompt(bot: Bot, who: Member) -> InteractionResponse:
    reply = await bot.say(who, "tip", topic="not-personal")
    assert reply.message is not None
    offer = await (
        await bot.sb.click(
            who, reply.message, find_button(reply.components, "Share with the channel")
        )
    ).response(timeout=5)
    assert offer.message is not None
    return offer


async def _shared_tip(bot: Bot, who: Member, label: str) -> Message:
    offer = await _share_prompt(bot, who)
    assert offer.message is not None
    result = await bot.sb.click(who, offer.message, find_button(offer.components, label))
    await result.response(timeout=5)
    return await result.followup(0, timeout=5)


async def test_three_quick_presses_share_the_tip_once(bot: Bot) -> None:
    alice = bot.server.alice
    offer = await _share_prompt(bot, alice)
    assert offer.message is not None
    anon = find_button(offer.components, "Share without my name")
    named = find_button(offer.components, "Share with my name")
    results = await asyncio.gather(
        *(bot.sb.click(alice, offer.message, button) for button in (anon, anon, named))
    )
    answers = [await r.response(timeout=5) for r in results]
    assert sorted(a.kind for a in answers) == ["message", "message", "update"]
    refusals = [a for a in answers if a.kind == "message"]
    assert all(a.ephemeral and a.content == ALREADY_SHARED for a in refusals)
    (winner,) = [r for r, a in zip(results, answers, strict=True) if a.kind == "update"]
    await winner.followup(0, timeout=5)
    public = [f for r in results for f in r.followups if not f.flags & 64]
    assert len(public) == 1
    assert offer.message.components == []  # the prompt's buttons are gone


async def test_a_lost_response_still_posts_the_goal_once(bot: Bot) -> None:
    alice = bot.server.alice
    thread = await _weekly_thread(bot, alice)
    bot.sb.fail_next("POST", MESSAGES_ROUTE, status=500, after=True)
    reply = await bot.say(alice, "goal set", text="Send two applications")
    assert (reply.content or "").startswith("Goal saved")
    await bot.sb.wait_for_message(thread, lambda m: "Send two applications" in m.content)
    assert len(_goals_in(thread, "Send two applications")) == 1


async def test_a_server_error_is_retried_with_the_same_nonce_and_posts_once(bot: Bot) -> None:
    alice = bot.server.alice
    thread = await _weekly_thread(bot, alice)
    bot.sb.fail_next("POST", MESSAGES_ROUTE, status=503, after=True)
    result = await bot.sb.invoke(
        alice, "goal set", options={"text": "Call one recruiter"}, channel=bot.server.general
    )
    reply = await result.response(timeout=5)
    assert (reply.content or "").startswith("Goal saved")
    await bot.sb.wait_for_request(  # the retry, answered with the message already made
        lambda r: r.matches("POST", MESSAGES_ROUTE) and _to(r.path, thread) and r.status == 200
    )
    sends = [r for r in bot.sb.requests.filter("POST", MESSAGES_ROUTE) if _to(r.path, thread)]
    nonces = {r.json.get("nonce") for r in sends}
    assert len(sends) == 2
    assert len(nonces) == 1
    assert None not in nonces
    assert all(r.json.get("enforce_nonce") for r in sends)
    assert len(_goals_in(thread, "Call one recruiter")) == 1
    assert result.followups == []  # no incident message


@pytest.mark.parametrize("status", [500, 503])  # 500s are also retried inside discord.py
async def test_when_discord_keeps_failing_the_goal_is_saved_and_the_member_told(
    bot: Bot, status: int
) -> None:
    alice = bot.server.alice
    thread = await _weekly_thread(bot, alice)
    bot.sb.fail_next("POST", MESSAGES_ROUTE, status=status, times=1000)
    result = await bot.sb.invoke(
        alice, "goal set", options={"text": "Tidy my portfolio"}, channel=bot.server.general
    )
    reply = await result.response(timeout=5)
    assert (reply.content or "").startswith("Goal saved")
    await bot.sb.wait_for_request(
        lambda r: r.method == "PATCH" and r.path.endswith("/messages/@original"), timeout=10
    )
    assert result.original is not None
    told = result.original.content
    assert "Tidy my portfolio" in told
    assert NOT_POSTED in told
    assert "incident" not in told
    assert "BB-" not in told
    assert result.followups == []
    assert _goals_in(thread, "Tidy my portfolio") == []
    assert "Tidy my portfolio" in _goal_texts(bot, alice)
    bot.sb.requests.clear()
    listing = await bot.say(alice, "goal list")
    assert "Tidy my portfolio" in listing.embeds[0]["description"]
