"""Weekly accountability end to end over a whole (fake-clock) week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo.transcript import find_button
from discord_sandbox import Channel, Member
from tests.e2e.conftest import Bot, both_backends

e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # START is Monday 10:00 UTC, within grace
WEDNESDAY_9 = MONDAY_9 + timedelta(days=2)
SUNDAY_9 = MONDAY_9 + timedelta(days=6)
NOT_YOURS = "I couldn't find that goal among yours this week. Pick one from the list as you type."


async def _setup(bot: Bot, channel: Channel) -> str:
    reply = await bot.say(bot.server.owner, "setup accountability", channel=channel)
    assert reply.ephemeral
    return reply.content or ""


async def _fire(bot: Bot, kind: str) -> str:
    outcome = await bot.app.bot.scheduler.fire(f"{kind}:{bot.server.guild.id}")
    return str(getattr(outcome, "status", outcome))


def _thread(bot: Bot, parent: Channel) -> Channel:
    threads = [
        c for c in bot.sb.world.channels.values() if c.is_thread and c.parent_id == parent.id
    ]
    assert len(threads) == 1, threads
    return threads[0]


def _texts(channel: Channel) -> list[str]:
    return [m.content for m in channel.messages]


async def _goal(bot: Bot, who: Member, text: str, **options: object) -> str:
    reply = await bot.say(who, "goal set", text=text, **options)
    assert reply.ephemeral
    return reply.content or ""


async def _goal_id(bot: Bot, who: Member, text: str) -> int:
    (row,) = await bot.rows("SELECT id FROM goals WHERE user_id = ? AND text = ?", (who.id, text))
    return int(str(row[0]))


async def test_setup_lists_the_three_weekly_runs(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    saved = await _setup(bot, goals)
    assert saved == (
        f"A weekly thread will open in <#{goals.id}> every Monday at 09:00 (UTC), "
        "with a check-in on Wednesday and a recap on Sunday."
    )
    show = await bot.say(bot.server.owner, "setup show")
    names = [f["name"] for f in show.embeds[0]["fields"]]
    assert names[-3:] == ["Weekly thread", "Mid-week check-in", "Weekly recap"]
    refused = await bot.say(bot.server.alice, "setup accountability", channel=goals)
    assert "Manage Server" in (refused.content or "")


async def test_a_whole_week_in_a_text_channel(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    await _setup(bot, goals)
    for member in (bot.server.alice, bot.server.bob, bot.server.mo):
        joined = await bot.say(member, "accountability join")
        assert joined.content is not None
        assert joined.content.startswith("You're in.")
    await bot.say(bot.server.mo, "break start", days=3)
    assert await _fire(bot, "accountability") == "sent"
    assert await _fire(bot, "accountability") == "already-claimed"
    thread = _thread(bot, goals)
    assert thread.name == "Week of Nov 23: goals and check-ins"
    assert set(thread.thread_members) >= {bot.server.alice.id, bot.server.bob.id}
    assert bot.server.mo.id not in thread.thread_members  # on a break
    starter = goals.messages[0]
    assert "/goal set" in starter.content
    assert starter.allowed_mentions == {"parse": []}
    assert starter.mention_ids == []

    assert (await _goal(bot, bot.server.alice, "Send applications", target=5)).startswith(
        "Goal saved"
    )
    await _goal(bot, bot.server.alice, "Update my CV", private=True)
    await _goal(bot, bot.server.alice, "Ask for feedback once")
    assert (await _goal(bot, bot.server.alice, "A fourth")).startswith("You already have 3 goals")
    posted = await bot.sb.wait_for_message(
        thread, lambda m: "aiming for: Send applications" in m.content
    )
    assert posted.mention_ids == []
    assert not any("Update my CV" in t for t in _texts(thread))

    apps = await _goal_id(bot, bot.server.alice, "Send applications")
    choices = await bot.sb.autocomplete(
        bot.server.alice, "goal progress", focused="goal", options={"goal": "send"}
    )
    assert [c["value"] for c in choices] == [apps]
    progress = await bot.say(bot.server.alice, "goal progress", goal=apps, amount=2, share=True)
    assert "▰▰▰▰▱▱▱▱▱▱ 2/5" in (progress.content or "")
    await bot.sb.wait_for_message(thread, lambda m: "made progress" in m.content)
    done = await bot.say(
        bot.server.alice,
        "goal done",
        goal=await _goal_id(bot, bot.server.alice, "Ask for feedback once"),
    )
    assert (done.content or "").startswith("Done: Ask for feedback once")
    listing = await bot.say(bot.server.alice, "goal list")
    assert "✓ Ask for feedback once" in listing.embeds[0]["description"]
    assert "(private)" in listing.embeds[0]["description"]

    bot.clock.set(WEDNESDAY_9)
    assert await _fire(bot, "checkin") == "sent"
    checkin = bot.app.bot.services.content.library.messages.accountability_checkin
    assert _texts(thread)[-1] == checkin[0]  # the variant the seed picks

    await _goal(bot, bot.server.bob, "Call one old colleague")
    bot.clock.set(SUNDAY_9)
    assert await _fire(bot, "recap") == "sent"
    recap = next(m for m in thread.messages if "people set" in m.content)
    assert "This week, 2 people set goals: 4 in all, 1 finished." in recap.content
    carry = await (
        await bot.sb.click(
            bot.server.bob,
            recap,
            find_button(recap.components, "Carry my unfinished goals to next week"),
        )
    ).response(timeout=5)
    assert carry.ephemeral
    assert (
        carry.content
        == "Carried 1 unfinished goal into next week. No pressure: it is there when you are ready."
    )
    bot.clock.set(MONDAY_9 + timedelta(days=7, hours=1))
    next_week = await bot.say(bot.server.bob, "goal list")
    assert "Call one old colleague" in next_week.embeds[0]["description"]


async def test_a_forum_gets_a_post_and_a_restart_keeps_the_same_thread(bot: Bot) -> None:
    forum = bot.server.guild.create_forum_channel("accountability")
    await _setup(bot, forum)
    await bot.say(bot.server.alice, "accountability join")
    assert await _fire(bot, "accountability") == "sent"
    post = _thread(bot, forum)
    assert "/goal set" in post.messages[0].content
    assert bot.server.alice.id in post.thread_members
    status = await bot.say(bot.server.alice, "accountability status")
    assert f"This week's thread: <#{post.id}>" in (status.content or "")
    bot.clock.set(WEDNESDAY_9)
    outcomes = await bot.app.bot.services.accountability_weeks.catch_up()  # as after a restart
    assert {(o.kind, o.status) for o in outcomes} >= {
        ("accountability", "not-due"),
        ("checkin", "sent"),
    }
    assert _thread(bot, forum) is post
    assert len(post.messages) == 2


async def test_an_archived_thread_is_reopened_or_reported_but_never_replaced(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    await _setup(bot, goals)
    await _fire(bot, "accountability")
    thread = _thread(bot, goals)
    bot.sb.archive_thread(thread)
    bot.clock.set(WEDNESDAY_9)
    assert await _fire(bot, "checkin") == "sent"
    assert thread.archived is False
    bot.sb.archive_thread(thread, locked=True)
    bot.clock.set(SUNDAY_9)
    assert await _fire(bot, "recap") == "failed"
    report = await bot.sb.wait_for_message(bot.server.modlog, lambda m: "weekly recap" in m.content)
    assert "archived and locked by a moderator" in report.content
    assert _thread(bot, goals) is thread  # no second thread this week


async def test_a_deleted_channel_or_missing_permission_is_reported(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    await _setup(bot, goals)
    bot.sb.revoke_permission(bot.server.guild, goals, "create_public_threads")
    assert await _fire(bot, "accountability") == "failed"
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "weekly accountability" in m.content
    )
    assert "missing permission" in log.content
    bot.sb.delete_channel(goals)
    bot.clock.advance(timedelta(days=7))
    assert await _fire(bot, "accountability") == "failed"
    await bot.sb.wait_for_message(bot.server.modlog, lambda m: "no longer exists" in m.content)
    assert (await bot.say(bot.server.alice, "about")).embeds


async def test_a_member_who_left_is_dropped_quietly(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    await _setup(bot, goals)
    await bot.say(bot.server.alice, "accountability join")
    await bot.say(bot.server.bob, "accountability join")
    del bot.server.guild.members[bot.server.bob.id]
    assert await _fire(bot, "accountability") == "sent"
    assert bot.server.alice.id in _thread(bot, goals).thread_members
    members = await bot.rows("SELECT user_id FROM accountability_members")
    assert members == [(bot.server.alice.id,)]


async def test_bad_goal_input_and_someone_elses_goal(bot: Bot) -> None:
    await _goal(bot, bot.server.alice, "Mine")
    mine = await _goal_id(bot, bot.server.alice, "Mine")
    for command in ("goal progress", "goal done"):
        reply = await bot.say(bot.server.bob, command, goal=mine)
        assert reply.content == NOT_YOURS
    for text, start in (
        ("x" * 201, "That text is 201 characters; the limit is 200."),
        ("<@123>", "That text is only a mention."),
    ):
        result = await bot.sb.invoke(
            bot.server.alice,
            "goal set",
            options={"text": text},
            channel=bot.server.general,
            enforce_limits=False,
        )
        assert ((await result.response(timeout=5)).content or "").startswith(start)
    result = await bot.sb.invoke(
        bot.server.alice,
        "break start",
        options={"days": 45},
        channel=bot.server.general,
        enforce_limits=False,
    )
    assert (
        await result.response(timeout=5)
    ).content == "I don't know that value. Please pick one of the options Discord offers."


async def test_breaks_and_forget_me(bot: Bot) -> None:
    none = await bot.say(bot.server.alice, "break status")
    assert (none.content or "").startswith("You are not on a break.")
    started = await bot.say(bot.server.alice, "break start")
    assert (
        started.content
        == "Your break runs until Monday, November 30. No thread adds or nudges until then. Rest is part of the search."
    )
    assert (
        await bot.say(bot.server.alice, "break status")
    ).content == "You are on a break until Monday, November 30."
    assert (
        await bot.say(bot.server.alice, "break end")
    ).content == "Welcome back. You'll be added to the next weekly thread again."
    await bot.say(bot.server.alice, "accountability join")
    await bot.say(bot.server.alice, "break start", days=2)
    await _goal(bot, bot.server.alice, "Something")
    confirm = await bot.say(bot.server.alice, "forget-me")
    assert confirm.message is not None
    done = await (
        await bot.sb.click(
            bot.server.alice, confirm.message, find_button(confirm.components, "Delete everything")
        )
    ).response(timeout=5)
    assert done.content == "Done. 3 records about you were deleted."
    for table in ("goals", "accountability_members", "breaks"):
        assert await bot.rows(f"SELECT COUNT(*) FROM {table}") == [(0,)]  # noqa: S608 - table names from the fixed tuple above
