"""/rejection end to end: logging, milestones, stats with k-anonymity, undo, limits, abuse."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.config import RejectionsConfig
from bot.offline import offline_bot
from discord_sandbox import Member, Sandbox
from tests.e2e.conftest import START, Bot, Server, e2e_config

HIDDEN = "not shown yet"


async def _log(bot: Bot, who: Member, stage: str | None = None) -> str:
    options = {"stage": stage} if stage else {}
    reply = await bot.say(who, "rejection log", **options)
    assert reply.ephemeral
    return str(reply.embeds[0]["description"]) if reply.embeds else str(reply.content)


def _group(reply_embed: dict[str, object]) -> str:
    fields = reply_embed["fields"]
    assert isinstance(fields, list)
    return next(f["value"] for f in fields if f["name"].startswith("The group"))


async def test_log_acknowledges_counts_and_offers_a_tip_for_the_stage(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "rejection log", stage="interview")
    assert reply.ephemeral
    assert reply.allowed_mentions == {"parse": []}
    (receipt,) = reply.embeds
    assert "This week: 1. All together: 1." in receipt["description"]
    assert "Your first one logged." in receipt["description"]
    library = bot.app.bot.services.content.library
    tip_text = receipt["fields"][0]["value"]
    shown = next(t for t in library.tips.values() if t.text == tip_text)
    for_the_stage = {t.id for t in library.tips.values() if {"interview", "any"} & set(t.tags)}
    assert shown.id in for_the_stage


async def test_milestones_treat_the_count_as_persistence(bot: Bot) -> None:
    texts = [await _log(bot, bot.server.alice) for _ in range(5)]
    assert "Your first one logged." in texts[0]
    milestone = bot.app.bot.services.content.library.messages.rejection_milestone
    assert f"**{milestone.other[1].format(count=5)}**" in texts[4]  # the variant the seed picks
    assert not any("**" in t for t in texts[1:4])


async def test_third_log_in_a_day_mentions_support_once(bot: Bot) -> None:
    texts = [await _log(bot, bot.server.alice) for _ in range(4)]
    assert ["/support" in t for t in texts] == [False, False, True, False]


async def test_stats_show_own_numbers_and_hide_small_groups(bot: Bot) -> None:
    for stage in ("screening", "interview", "screening"):  # the store counts a day's alike
        await _log(bot, bot.server.alice, stage)
    reply = await bot.say(bot.server.alice, "rejection stats")
    assert reply.ephemeral
    embed = reply.embeds[0]
    assert "This week: **3** · This month: **3** · All time: **3**" in embed["description"]
    assert "Kept going: **1** week in a row" in embed["description"]
    assert "`▁▁▁▁▁▁▁█`" in embed["description"]
    assert "Interview: 1, Screening: 2" in embed["fields"][0]["value"]
    group = _group(embed)
    assert group.count(HIDDEN) == 4
    assert "at least 3 people take part" in group


async def test_todays_logs_change_no_group_figure_until_tomorrow(bot: Bot) -> None:
    members = [bot.server.alice, bot.server.bob, bot.server.mo]
    for member in members:
        await _log(bot, member)
    today = await bot.say(bot.server.owner, "rejection stats")
    assert _group(today.embeds[0]).count(HIDDEN) == 4
    bot.clock.advance(timedelta(days=1))
    tomorrow = _group((await bot.say(bot.server.owner, "rejection stats")).embeds[0])
    assert "This week so far: **3** from 3 members" in tomorrow
    assert "All time: **3** from 3 members" in tomorrow
    await _log(bot, bot.server.alice)
    same_day = _group((await bot.say(bot.server.owner, "rejection stats")).embeds[0])
    assert same_day == tomorrow


async def test_group_figure_stays_hidden_with_two_members(bot: Bot) -> None:
    for member in (bot.server.alice, bot.server.bob, bot.server.bob):
        await _log(bot, member)
    bot.clock.advance(timedelta(days=1))
    group = _group((await bot.say(bot.server.alice, "rejection stats")).embeds[0])
    assert group.count(HIDDEN) == 4


async def test_undo_removes_only_todays_latest_entry(bot: Bot) -> None:
    nothing = await bot.say(bot.server.alice, "rejection undo")
    assert (
        nothing.content
        == "There is nothing from today to undo. Entries from earlier days stay as they are."
    )
    await _log(bot, bot.server.alice, "application")
    await _log(bot, bot.server.alice, "final-round")
    undone = await bot.say(bot.server.alice, "rejection undo")
    assert undone.ephemeral
    assert undone.content == "Removed your last entry from today (final round)."
    bot.clock.advance(timedelta(days=1))
    later = await bot.say(bot.server.alice, "rejection undo")
    assert later.content is not None
    assert later.content.startswith("There is nothing from today to undo.")
    stats = await bot.say(bot.server.alice, "rejection stats")
    assert "All time: **1**" in stats.embeds[0]["description"]


async def test_a_crafted_unknown_stage_is_refused_kindly(bot: Bot) -> None:
    result = await bot.sb.invoke(
        bot.server.alice,
        "rejection log",
        options={"stage": "astrology"},
        channel=bot.server.general,
        enforce_limits=False,
    )
    reply = await result.response(timeout=5)
    assert reply.ephemeral
    assert (
        reply.content == "I don't know that value. Please pick one of the options Discord offers."
    )
    with sqlite3.connect(bot.app.config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM rejections").fetchone() == (0,)


async def test_rejection_commands_in_a_dm_explain_they_work_in_a_server(bot: Bot) -> None:
    stranger = bot.sb.create_user("dee")
    for command in ("rejection log", "rejection stats", "rejection undo"):
        reply = await (await bot.sb.invoke(stranger, command)).response(timeout=5)
        assert reply.ephemeral
        assert (
            reply.content
            == "This works inside a server, so it can keep your numbers private there."
        )


async def _concurrent_logs(sb: Sandbox, server: Server, count: int) -> list[str]:
    results = await asyncio.gather(
        *(sb.invoke(server.alice, "rejection log", channel=server.general) for _ in range(count))
    )
    replies = await asyncio.gather(*(r.response(timeout=20) for r in results))
    return [str(r.content) if r.content else "logged" for r in replies]


async def test_the_daily_limit_holds_under_concurrency(bot: Bot) -> None:
    outcomes = await _concurrent_logs(bot.sb, bot.server, 100)
    assert outcomes.count("logged") == 20
    refusals = [o for o in outcomes if o != "logged"]
    assert len(refusals) == 80
    assert all(o.startswith("You have logged 20 today") for o in refusals)
    with sqlite3.connect(bot.app.config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM rejections").fetchone() == (20,)


async def test_a_raised_limit_keeps_every_concurrent_log(
    sandbox: Sandbox, server: Server, tmp_path: Path
) -> None:
    config, _ = e2e_config(tmp_path, server)
    config = replace(config, rejections=RejectionsConfig(daily_limit=500))
    async with offline_bot(sandbox, config, clock=FakeClock(START)):
        outcomes = await _concurrent_logs(sandbox, server, 100)
    assert outcomes.count("logged") == 100
    with sqlite3.connect(config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM rejections").fetchone() == (100,)


def _acknowledgement(receipt: str) -> str:
    return receipt.split("\n\n")[0]


async def test_the_acknowledgement_fits_the_stage_logged(bot: Bot) -> None:
    messages = bot.app.bot.services.content.library.messages
    for _ in range(6):
        ack = _acknowledgement(await _log(bot, bot.server.alice, "interview"))
        assert ack in messages.rejection_ack_interview
        assert "application" not in ack.lower()
    for stage in ("application", "screening", "final-round", "offer-withdrawn", "other"):
        ack = _acknowledgement(await _log(bot, bot.server.bob, stage))
        assert ack in getattr(messages, f"rejection_ack_{stage.replace('-', '_')}"), stage


async def test_a_stage_left_out_of_messages_yaml_gets_the_general_acknowledgement(
    bot: Bot,
) -> None:
    path = bot.content / "messages.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("rejection_ack_other:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    reloaded = await bot.say(bot.server.mo, "tips reload")
    assert reloaded.content is not None
    assert reloaded.content.startswith("Content reloaded")
    messages = bot.app.bot.services.content.library.messages
    ack = _acknowledgement(await _log(bot, bot.server.alice, "other"))
    assert ack in messages.rejection_logged
    assert "application" not in ack.lower()
