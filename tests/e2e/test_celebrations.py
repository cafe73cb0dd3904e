"""The weekly celebration end to end: setup, due times, exactly once, downtime and faults."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import CelebrationsConfig, Config
from bot.domain.member_key import MemberKeys
from bot.offline import offline_bot
from bot.services.celebrations import CelebrationService
from bot.services.weekly_runs import Leases
from bot.storage.group_commit import GroupCommit
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.rejections import RejectionRepository
from bot.storage.scheduled_posts import ScheduledPostsRepository
from bot.storage.secret import load_secret
from bot.storage.wins import WIN_SCOPE, WinsRepository
from discord_sandbox import Channel, Message, Sandbox
from tests.backends import reopen
from tests.e2e.conftest import START, Bot, Server, both_backends, build_server, e2e_config

e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")

BERLIN_FRIDAY_5PM = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 17:00 CET
NEW_YORK_FRIDAY_5PM = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # 17:00 EST


async def _setup(
    bot: Bot,
    server: Server,
    channel: Channel,
    zone: str = "Europe/Berlin",
    *,
    weekday: str = "friday",
    time: str = "17:00",
) -> str:
    reply = await bot.say(
        server.owner,
        "setup celebrations",
        in_channel=server.general,
        channel=channel,
        weekday=weekday,
        time=time,
        timezone=zone,
    )
    assert reply.ephemeral
    return reply.content or ""


async def _fire(bot: Bot, guild_id: int) -> str:
    outcome = await bot.app.bot.scheduler.fire(f"celebration:{guild_id}")
    return str(getattr(outcome, "status", outcome))


def _posts(channel: Channel) -> list[Message]:
    return [m for m in channel.messages if m.embeds]


async def _status(bot: Bot, guild_id: int) -> list[tuple[object, ...]]:
    return await bot.rows(
        "SELECT week, status, CASE WHEN message_id IS NULL THEN 0 ELSE 1 END "
        "FROM scheduled_posts WHERE guild_id = ?",
        (guild_id,),
    )


async def test_setup_show_and_timezone_help(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    saved = await _setup(bot, bot.server, wins)
    assert (
        saved
        == f"Celebrations will be posted in <#{wins.id}> every Friday at 17:00 (Europe/Berlin)."
    )
    show = await bot.say(bot.server.owner, "setup show")
    field = next(f for f in show.embeds[0]["fields"] if f["name"] == "Weekly celebration")
    stamp = int(BERLIN_FRIDAY_5PM.timestamp())
    assert field["value"] == (
        f"<#{wins.id}> · Every Friday at 17:00 (Europe/Berlin)\nNext: <t:{stamp}:F> (<t:{stamp}:R>)"
    )
    bad = await bot.say(
        bot.server.owner,
        "setup celebrations",
        channel=wins,
        timezone="Europe/Berln",
    )
    assert (
        bad.content
        == "I don't know the timezone Europe/Berln. Did you mean Europe/Berlin? Start typing a city to see the list."
    )
    choices = await bot.sb.autocomplete(
        bot.server.owner,
        "setup celebrations",
        focused="timezone",
        options={"channel": wins, "timezone": "madr"},
    )
    assert choices[0]["value"] == "Europe/Madrid"
    refused = await bot.say(bot.server.alice, "setup celebrations", channel=wins)
    assert refused.content == (
        "Setting this up needs the Manage Server permission. "
        "If you think you should have it, ask a server admin."
    )


async def test_the_celebration_posts_every_win_once_at_the_due_time(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    await bot.say(bot.server.alice, "win", text="Sent three applications")
    await bot.say(bot.server.bob, "win", text="Asked for feedback", anonymous=True)
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(minutes=1))
    assert await _fire(bot, bot.server.guild.id) == "not-due"
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "sent"
    (post,) = _posts(wins)
    text = post.embeds[0]["description"]
    assert f"• Sent three applications — <@{bot.server.alice.id}>" in text
    assert "• Asked for feedback\n" in text
    assert post.allowed_mentions == {"parse": []}
    assert post.mention_ids == []
    assert await _fire(bot, bot.server.guild.id) == "already-claimed"
    assert len(_posts(wins)) == 1
    assert await _status(bot, bot.server.guild.id) == [("2026-W48", "sent", 1)]


async def test_each_server_celebrates_in_its_own_timezone(bot: Bot) -> None:
    berlin = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, berlin, "Europe/Berlin")
    other = build_server(bot.sb)
    new_york = other.guild.create_text_channel("wins")
    await _setup(bot, other, new_york, "America/New_York")
    bot.clock.set(BERLIN_FRIDAY_5PM + timedelta(minutes=1))
    outcomes = {o.guild_id: o.status for o in await bot.app.bot.services.celebrations.catch_up()}
    assert outcomes == {bot.server.guild.id: "sent", other.guild.id: "not-due"}
    bot.clock.set(NEW_YORK_FRIDAY_5PM)
    assert await _fire(bot, other.guild.id) == "sent"
    assert len(_posts(berlin)) == len(_posts(new_york)) == 1


async def test_concurrent_runs_and_a_second_process_still_post_once(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    service = bot.app.bot.services.celebrations
    # A second "process": its own connection to the same database file, its own service.
    path = bot.app.config.database_path
    other_db = await reopen(bot.app.db)
    owner_key = partial(MemberKeys(load_secret(path)).key, scope=WIN_SCOPE)
    twin = CelebrationService(
        WinsRepository(other_db, GroupCommit(other_db), owner_key),
        Leases(ScheduledPostsRepository(other_db), bot.clock, "twin@elsewhere#1", 120),
        GuildSettingsRepository(other_db),
        RejectionRepository(other_db, GroupCommit(other_db)),
        bot.app.bot.services.content,
        bot.clock,
        bot.app.config,
        poster=bot.app.bot.publisher,
        goals_line=bot.app.bot.services.accountability_weeks.goals_line,
    )
    outcomes = await asyncio.gather(
        *(s.run(bot.server.guild.id) for s in (service, twin, service, twin))
    )
    await other_db.close()
    assert sorted(o.status for o in outcomes) == ["already-claimed"] * 3 + ["sent"]
    assert len(_posts(wins)) == 1


async def test_an_empty_week_gets_a_gentle_post(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "sent"
    assert "quiet week" in _posts(wins)[0].embeds[0]["description"]


async def test_the_group_courage_count_appears_above_the_privacy_threshold(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    for member in (bot.server.alice, bot.server.bob, bot.server.mo):
        await bot.say(member, "rejection log")
    await bot.say(bot.server.alice, "win", text="Kept going")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    await _fire(bot, bot.server.guild.id)
    assert (
        "And 3 applications that took courage went out from this group."
        in _posts(wins)[0].embeds[0]["description"]
    )


async def test_mentions_in_wins_never_ping(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    text = f"Thanks @everyone and <@&{bot.server.mod_role_id}> and <@{bot.server.bob.id}>"
    await bot.say(bot.server.alice, "win", text=text)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    await _fire(bot, bot.server.guild.id)
    (post,) = _posts(wins)
    (request,) = [
        r
        for r in bot.sb.requests.filter(method="POST", route="/channels/{channel_id}/messages")
        if r.path.endswith(f"/{wins.id}/messages")
    ]
    assert request.json["allowed_mentions"] == {"parse": []}
    assert post.mention_everyone is False
    assert post.mention_ids == []
    assert post.mention_role_ids == []
    assert "@everyone" not in post.embeds[0]["description"]


async def test_a_deleted_channel_is_reported_and_tried_again_next_week(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    bot.sb.delete_channel(wins)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "failed"
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "weekly celebration" in m.content, timeout=5
    )
    assert "the channel no longer exists" in log.content
    assert log.allowed_mentions == {"parse": []}
    bot.clock.advance(timedelta(days=7))
    assert await _fire(bot, bot.server.guild.id) == "failed"
    assert [row[:2] for row in await _status(bot, bot.server.guild.id)] == [
        ("2026-W48", "failed"),
        ("2026-W49", "failed"),
    ]


async def test_a_channel_that_cannot_hold_messages_is_reported(bot: Bot) -> None:
    # /setup offers text channels only; a category id gets in through an older setting.
    category = bot.server.guild.create_category("Weekly")
    guild_id = bot.server.guild.id
    await bot.app.bot.services.setup.set_celebrations(
        guild_id, bot.server.owner.id, category.id, "friday", "17:00", "Europe/Berlin"
    )
    await bot.app.bot.weekly_jobs.schedule(guild_id)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, guild_id) == "failed"
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "weekly celebration" in m.content, timeout=5
    )
    assert "cannot receive messages" in log.content


async def test_missing_permission_is_reported_without_a_crash(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    bot.sb.revoke_permission(bot.server.guild, wins, "send_messages")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "failed"
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "weekly celebration" in m.content, timeout=5
    )
    assert "missing permission" in log.content
    assert (await bot.say(bot.server.alice, "about")).embeds  # still serving


async def test_empty_week_can_be_skipped(
    sandbox: Sandbox, server: Server, tmp_path: Path, e2e_database_url: str | None
) -> None:
    config, _ = e2e_config(tmp_path, server, e2e_database_url)
    config = replace(config, celebrations=CelebrationsConfig(empty_week="skip"))
    clock = FakeClock(START)
    async with offline_bot(sandbox, config, clock=clock) as app:
        wins = server.guild.create_text_channel("wins")
        bot = Bot(sandbox, app, server, clock, tmp_path / "content")
        await _setup(bot, server, wins)
        clock.set(BERLIN_FRIDAY_5PM)
        assert await _fire(bot, server.guild.id) == "skipped-empty"
        assert _posts(wins) == []


async def _session(
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    clock: FakeClock,
    wins: Channel,
    *,
    first: bool,
    url: str | None,
) -> list[str]:
    config = e2e_config(tmp_path, server, url)[0] if first else _config_again(tmp_path, server, url)
    async with offline_bot(sandbox, config, clock=clock) as app:
        bot = Bot(sandbox, app, server, clock, tmp_path / "content")
        if first:
            await _setup(bot, server, wins)
            await bot.say(server.alice, "win", text="Finished my portfolio")
            return []
        return [str(row[1]) for row in await _status(bot, server.guild.id)]


def _config_again(tmp_path: Path, server: Server, url: str | None) -> Config:
    config, _ = e2e_config(tmp_path / "again", server, url)
    return replace(
        config, database=replace(config.database, path=str(tmp_path / "data" / "bounceback.db"))
    )


async def test_a_restart_within_the_grace_period_catches_up_once(
    sandbox: Sandbox, server: Server, tmp_path: Path, e2e_database_url: str | None
) -> None:
    clock = FakeClock(START)
    wins = server.guild.create_text_channel("wins")
    await _session(sandbox, server, tmp_path, clock, wins, first=True, url=e2e_database_url)
    clock.set(BERLIN_FRIDAY_5PM + timedelta(hours=3))  # the bot was down at 17:00
    config = _config_again(tmp_path, server, e2e_database_url)
    async with offline_bot(sandbox, config, clock=clock):
        post = await sandbox.wait_for_message(wins, lambda m: bool(m.embeds), timeout=5)
        assert "Finished my portfolio" in post.embeds[0]["description"]
    async with offline_bot(sandbox, config, clock=clock):  # and a second restart posts nothing more
        pass
    assert len(_posts(wins)) == 1


async def test_a_restart_after_the_grace_period_skips_the_week(
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    e2e_database_url: str | None,
) -> None:
    clock = FakeClock(START)
    wins = server.guild.create_text_channel("wins")
    url = e2e_database_url
    await _session(sandbox, server, tmp_path, clock, wins, first=True, url=url)
    clock.set(BERLIN_FRIDAY_5PM + timedelta(hours=13))
    with caplog.at_level(logging.INFO, logger="bot.services.celebrations"):
        assert await _session(sandbox, server, tmp_path, clock, wins, first=False, url=url) == []
    assert _posts(wins) == []
    assert any("past the grace period: skipped" in r.getMessage() for r in caplog.records)


async def test_a_429_or_server_error_on_send_is_retried_without_posting_twice(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    await bot.say(bot.server.alice, "win", text="Kept going")
    route = "/channels/{channel_id}/messages"
    bot.sb.fail_next("POST", route, status=429, retry_after=0.05)
    bot.sb.fail_next("POST", route, status=502)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "sent"
    assert bot.sb.failures_served == 2
    assert len(_posts(wins)) == 1
    assert await _status(bot, bot.server.guild.id) == [("2026-W48", "sent", 1)]


async def test_a_long_week_is_split_into_several_posts_without_losing_a_win(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    for n in range(16):
        await bot.say(bot.server.alice, "win", text=f"Win {n}: " + "a small step forward " * 13)
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "sent"
    posts = _posts(wins)
    assert [p.embeds[0]["title"] for p in posts] == [
        "This week's small wins",
        "This week's small wins (continued)",
    ]
    text = "\n".join(p.embeds[0]["description"] for p in posts)
    assert all(f"Win {n}: " in text for n in range(16))


async def test_daylight_saving_weeks_keep_the_local_time(bot: Bot) -> None:
    """New York falls back on 1 Nov 2026 and Berlin springs forward on 28 Mar 2027."""
    ny = bot.server.guild.create_text_channel("ny")
    await _setup(bot, bot.server, ny, "America/New_York")
    bot.clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    other = build_server(bot.sb)
    berlin = other.guild.create_text_channel("berlin")
    await _setup(bot, other, berlin, "Europe/Berlin")
    # Fri 4 Dec 2026 17:00 EST is 22:00 UTC; 21:00 UTC would be 17:00 under summer time.
    bot.clock.set(datetime(2026, 12, 4, 21, 0, tzinfo=UTC))
    assert await _fire(bot, bot.server.guild.id) == "not-due"
    bot.clock.set(datetime(2026, 12, 4, 22, 0, tzinfo=UTC))
    assert await _fire(bot, bot.server.guild.id) == "sent"
    # Fri 2 Apr 2027 17:00 CEST is 15:00 UTC, an hour earlier than the winter 16:00 UTC.
    bot.clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    assert await _fire(bot, other.guild.id) == "sent"
    bot.clock.set(datetime(2027, 4, 2, 15, 0, tzinfo=UTC))
    assert await _fire(bot, other.guild.id) == "sent"
    assert len(_posts(berlin)) == 2


async def test_goal_totals_feed_the_celebration_above_the_privacy_threshold(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    for member in (bot.server.alice, bot.server.bob):
        await bot.say(member, "goal set", text="Send two applications")
    await bot.say(bot.server.alice, "win", text="Kept going")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    await _fire(bot, bot.server.guild.id)
    assert "goals this week" not in _posts(wins)[0].embeds[0]["description"]  # only 2 people


async def test_goal_totals_appear_with_enough_people(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    for member in (bot.server.alice, bot.server.bob, bot.server.mo):
        await bot.say(member, "goal set", text="Send two applications")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    await _fire(bot, bot.server.guild.id)
    text = _posts(wins)[0].embeds[0]["description"]
    assert "3 people set goals this week: 3 in all, 0 finished so far." in text


async def test_moving_the_time_to_earlier_today_posts_this_weeks_celebration_now(bot: Bot) -> None:
    """Rescheduled to a time already past, the week's post must not wait a whole week."""
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    await bot.say(bot.server.alice, "win", text="Finished the portfolio page")
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(hours=3))  # 14:00 in Berlin, the post due at 17:00
    await _setup(bot, bot.server, wins, time="11:00")
    await asyncio.wait_for(bot.app.bot.weekly_jobs.settled(), 5)
    (post,) = _posts(wins)
    assert "Finished the portfolio page" in post.embeds[0]["description"]
    assert await _status(bot, bot.server.guild.id) == [("2026-W48", "sent", 1)]
    bot.clock.set(BERLIN_FRIDAY_5PM)  # the old time passes: nothing more
    assert await _fire(bot, bot.server.guild.id) == "already-claimed"
    assert len(_posts(wins)) == 1


async def test_a_first_setup_after_this_weeks_time_waits_for_next_week(bot: Bot) -> None:
    """Only a change catches up; a new server starts with the next time due."""
    wins = bot.server.guild.create_text_channel("wins")
    bot.clock.set(BERLIN_FRIDAY_5PM + timedelta(hours=1))
    await _setup(bot, bot.server, wins)
    await asyncio.wait_for(bot.app.bot.weekly_jobs.settled(), 5)
    assert _posts(wins) == []
    assert await _status(bot, bot.server.guild.id) == []


async def test_a_server_that_adds_the_bot_back_gets_the_post_missed_meanwhile(bot: Bot) -> None:
    """Kicked at 16:59 and invited back at 17:05: this week's celebration still goes out."""
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins)
    await bot.say(bot.server.alice, "win", text="Said yes to a coffee chat")
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(minutes=1))
    removed = asyncio.ensure_future(bot.app.bot.wait_for("guild_remove", timeout=5))
    bot.sb.remove_bot(bot.server.guild)
    await removed
    assert not any(j.endswith(f":{bot.server.guild.id}") for j in bot.app.bot.scheduler.job_ids())
    bot.clock.set(BERLIN_FRIDAY_5PM + timedelta(minutes=5))
    bot.sb.add_bot(bot.server.guild)
    post = await bot.sb.wait_for_message(wins, lambda m: bool(m.embeds), timeout=5)
    assert "Said yes to a coffee chat" in post.embeds[0]["description"]
    await asyncio.wait_for(bot.app.bot.weekly_jobs.settled(), 5)
    assert await _status(bot, bot.server.guild.id) == [("2026-W48", "sent", 1)]
    assert len(_posts(wins)) == 1


async def test_wins_after_this_weeks_post_wait_for_next_week_when_the_time_moves_later(
    bot: Bot,
) -> None:
    """Friday 10:00 posted; moved to 17:00 at 11:00: a win at noon is not lost to a week done."""
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins, time="10:00")
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(hours=7))  # Friday 10:00 in Berlin
    assert await _fire(bot, bot.server.guild.id) == "sent"
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(hours=6))
    await _setup(bot, bot.server, wins, time="17:00")
    await asyncio.wait_for(bot.app.bot.weekly_jobs.settled(), 5)
    bot.clock.set(BERLIN_FRIDAY_5PM - timedelta(hours=5))
    await bot.say(bot.server.alice, "win", text="Rewrote my summary line")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    assert await _fire(bot, bot.server.guild.id) == "already-claimed"
    bot.clock.set(BERLIN_FRIDAY_5PM + timedelta(days=7))
    assert await _fire(bot, bot.server.guild.id) == "sent"
    assert "Rewrote my summary line" in _posts(wins)[-1].embeds[0]["description"]


async def test_a_monday_celebration_looks_back_on_the_week_that_just_ended(bot: Bot) -> None:
    """On a Monday the week so far has no finished day: the group lines are last week's."""
    wins = bot.server.guild.create_text_channel("wins")
    await _setup(bot, bot.server, wins, weekday="monday")
    for member in (bot.server.alice, bot.server.bob, bot.server.mo):  # Monday of week 48
        await bot.say(member, "rejection log")
        await bot.say(member, "goal set", text="Send two applications")
    bot.clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # the next Monday, 17:00 in Berlin
    assert await _fire(bot, bot.server.guild.id) == "sent"
    text = _posts(wins)[0].embeds[0]["description"]
    assert "And 3 applications that took courage went out from this group." in text
    assert "3 people set goals this week: 3 in all, 0 finished so far." in text
