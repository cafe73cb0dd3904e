"""Every weekly post ends in exactly one post, or exactly one report, whatever Discord does.

Each case runs for all four kinds: the celebration, the weekly thread, the
check-in and the recap. Discord fails on purpose through the sandbox (a 503
before or after doing the work, a 403, a 503 that never ends); a lease left by
a process that died is taken over by the sweep. Retries pause through the
fake clock (`Bot.slept`), so nothing here waits for real. Every case runs on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import MonitoringConfig
from bot.domain.schedule import PostKey
from bot.monitoring.metrics import Metrics
from bot.offline import offline_bot
from bot.services.weekly_runs import FIRST_BACKOFF_SECONDS
from bot.storage.scheduled_posts import ScheduledPostsRepository
from discord_sandbox import Channel, Message, Sandbox
from tests.backends import reopen
from tests.conftest import SEED
from tests.e2e.conftest import START, Bot, Server, both_backends, clock_sleep, e2e_config

e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")

MESSAGES = "/channels/{channel_id}/messages"
BERLIN_FRIDAY_5PM = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEEK = "2026-W48"
GRACE = timedelta(hours=12)


@dataclass(frozen=True)
class Target:
    """Where one kind's post lands, what the bot made there, and how much makes one post."""

    channel: Channel
    made: Callable[[], list[object]]
    one_post: int = 1  # the weekly thread is two things: its starter and the thread on it

    def posts(self) -> float:
        """Count the posts made: 1.0 is exactly one, 0 none, anything else a fault."""
        return len(self.made()) / self.one_post


async def _celebration(bot: Bot) -> Target:
    wins = bot.server.guild.create_text_channel("wins")
    await bot.say(
        bot.server.owner,
        "setup celebrations",
        channel=wins,
        weekday="friday",
        time="17:00",
        timezone="Europe/Berlin",
    )
    await bot.say(bot.server.alice, "win", text="Kept going")
    bot.clock.set(BERLIN_FRIDAY_5PM)
    return Target(wins, lambda: [m for m in wins.messages if m.embeds])


async def _goals_channel(bot: Bot) -> Channel:
    goals = bot.server.guild.create_text_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=goals)
    await bot.say(bot.server.alice, "accountability join")
    return goals


async def _accountability(bot: Bot) -> Target:
    goals = await _goals_channel(bot)

    def starters_and_threads() -> list[object]:
        threads = [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id]
        return [*goals.messages, *threads]

    return Target(goals, starters_and_threads, one_post=2)


def _in_thread(day: datetime) -> Callable[[Bot], Awaitable[Target]]:
    async def prepare(bot: Bot) -> Target:
        goals = await _goals_channel(bot)
        assert await _fire(bot, "accountability") == "sent"
        (thread,) = [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id]
        bot.clock.set(day)
        return Target(thread, lambda: list(thread.messages))

    return prepare


KINDS: dict[str, Callable[[Bot], Awaitable[Target]]] = {
    "celebration": _celebration,
    "accountability": _accountability,
    "checkin": _in_thread(MONDAY_9 + timedelta(days=2)),
    "recap": _in_thread(MONDAY_9 + timedelta(days=6)),
}
KIND_NAMES = {
    "celebration": "weekly celebration",
    "accountability": "weekly accountability",
    "checkin": "weekly checkin",
    "recap": "weekly recap",
}


async def _fire(bot: Bot, kind: str) -> str:
    outcome = await bot.app.bot.scheduler.fire(f"{kind}:{bot.server.guild.id}")
    return str(getattr(outcome, "status", outcome))


async def _claim(bot: Bot, kind: str) -> tuple[str, str | None]:
    ((status, owner),) = await bot.rows(
        "SELECT status, owner FROM scheduled_posts WHERE guild_id = ? AND kind = ?",
        (bot.server.guild.id, kind),
    )
    return str(status), None if owner is None else str(owner)


def _reports(bot: Bot, kind: str) -> list[Message]:
    return [m for m in bot.server.modlog.messages if KIND_NAMES[kind] in m.content]


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_5xx_on_the_first_attempt_is_retried_and_posts_once(bot: Bot, kind: str) -> None:
    target = await KINDS[kind](bot)
    bot.sb.fail_next("POST", MESSAGES, status=503, channel_id=target.channel.id)
    assert await _fire(bot, kind) == "sent"
    assert target.posts() == 1
    assert bot.slept == [FIRST_BACKOFF_SECONDS]
    assert (await _claim(bot, kind))[0] == "sent"
    assert _reports(bot, kind) == []


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_5xx_after_discord_posted_is_retried_under_the_same_nonce(
    bot: Bot, kind: str
) -> None:
    target = await KINDS[kind](bot)
    bot.sb.fail_next("POST", MESSAGES, status=503, after=True, channel_id=target.channel.id)
    assert await _fire(bot, kind) == "sent"
    assert target.posts() == 1
    assert bot.sb.world.nonces.deduplicated == 1
    assert (await _claim(bot, kind))[0] == "sent"
    assert _reports(bot, kind) == []


@pytest.mark.parametrize("kind", list(KINDS))
async def test_5xx_until_the_grace_period_ends_gives_one_report_and_no_post(
    bot: Bot, kind: str
) -> None:
    target = await KINDS[kind](bot)
    bot.sb.fail_next("POST", MESSAGES, status=503, times=10_000, channel_id=target.channel.id)
    started = bot.clock.now()
    assert await _fire(bot, kind) == "failed"
    assert target.posts() == 0
    assert len(bot.slept) > 5
    assert sum(bot.slept) < GRACE.total_seconds()
    (report,) = _reports(bot, kind)
    assert "Discord answered 503 after retries" in report.content
    assert report.allowed_mentions == {"parse": []}
    assert (await _claim(bot, kind))[0] == "failed"
    assert bot.clock.now() - started < GRACE
    assert await _fire(bot, kind) in ("already-claimed", "not-due")
    await bot.app.bot.weekly_jobs.sweep()
    assert len(_reports(bot, kind)) == 1


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_permanent_problem_ends_the_attempt_at_once_with_one_report(
    bot: Bot, kind: str
) -> None:
    target = await KINDS[kind](bot)
    bot.sb.fail_next("POST", MESSAGES, status=403, times=10, channel_id=target.channel.id)
    assert await _fire(bot, kind) == "failed"
    assert target.posts() == 0
    assert bot.slept == []
    assert len(_reports(bot, kind)) == 1
    assert (await _claim(bot, kind))[0] == "failed"


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_lease_left_by_a_dead_process_is_taken_over_once_it_runs_out(
    bot: Bot, kind: str
) -> None:
    target = await KINDS[kind](bot)
    lease = bot.app.config.schedule.lease_seconds
    now = int(bot.clock.now().timestamp())
    dead = await reopen(bot.app.db)
    try:
        key = PostKey(bot.server.guild.id, kind, WEEK)
        posts = ScheduledPostsRepository(dead)
        assert await posts.claim(key, "4242@gone#dead", now, now + lease, "then")
    finally:
        await dead.close()
    assert await _fire(bot, kind) == "already-claimed"  # the lease still holds
    bot.clock.advance(timedelta(seconds=lease - 1))
    await bot.app.bot.weekly_jobs.sweep()
    assert target.posts() == 0
    bot.clock.advance(timedelta(seconds=1))
    await bot.app.bot.weekly_jobs.sweep()
    assert target.posts() == 1
    status, owner = await _claim(bot, kind)
    assert status == "sent"
    assert owner is not None
    assert owner != "4242@gone#dead"
    await bot.app.bot.weekly_jobs.sweep()
    assert target.posts() == 1


async def test_a_check_in_due_with_the_opening_waits_for_the_thread_instead_of_skipping(
    bot: Bot,
) -> None:
    """Two processes (or the catch-up) may reach the check-in while another opens the thread."""
    goals = bot.server.guild.create_text_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=goals, checkin="monday")
    thread_on_message = "/channels/{channel_id}/messages/{message_id}/threads"
    bot.sb.fail_next("POST", thread_on_message, status=503, channel_id=goals.id)
    opening, checkin = await asyncio.gather(_fire(bot, "accountability"), _fire(bot, "checkin"))
    assert (opening, checkin) == ("sent", "sent")
    (thread,) = [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id]
    assert len(thread.messages) == 1
    assert (await _claim(bot, "checkin"))[0] == "sent"


async def test_a_check_in_that_fires_a_moment_before_the_opening_waits_for_it(bot: Bot) -> None:
    """Both jobs fire in the same minute; which one reaches the database first is chance."""
    goals = bot.server.guild.create_text_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=goals, checkin="monday")
    checkin, opening = await asyncio.gather(_fire(bot, "checkin"), _fire(bot, "accountability"))
    assert (opening, checkin) == ("sent", "sent")
    (thread,) = [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id]
    assert len(thread.messages) == 1
    assert bot.slept == []  # it waited for this process's own opening, not by polling


async def test_a_check_in_whose_opening_was_missed_is_skipped_at_once(bot: Bot) -> None:
    """The bot was down through the opening's grace: no thread will come, so nothing waits."""
    goals = bot.server.guild.create_text_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=goals, checkin="wednesday")
    bot.clock.set(MONDAY_9 + timedelta(days=2, minutes=5))  # Wednesday, the opening long past
    assert await _fire(bot, "checkin") == "skipped"
    assert bot.slept == []
    assert [c for c in bot.sb.world.channels.values() if c.parent_id == goals.id] == []


async def test_a_forum_post_made_despite_a_5xx_is_found_not_made_again(bot: Bot) -> None:
    """A forum post takes no nonce: the retry looks for the week's post among active threads."""
    forum = bot.server.guild.create_forum_channel("goals")
    await bot.say(bot.server.owner, "setup accountability", channel=forum)
    await bot.say(bot.server.alice, "accountability join")
    threads = "/channels/{channel_id}/threads"
    bot.sb.fail_next("POST", threads, status=503, after=True, channel_id=forum.id)
    assert await _fire(bot, "accountability") == "sent"
    (post,) = [c for c in bot.sb.world.channels.values() if c.parent_id == forum.id]
    assert bot.server.alice.id in post.thread_members
    assert bot.slept == [FIRST_BACKOFF_SECONDS]
    assert (await _claim(bot, "accountability"))[0] == "sent"


async def test_a_retried_post_is_counted_for_the_operators_dashboard(
    sandbox: Sandbox, server: Server, tmp_path: Path, e2e_database_url: str | None
) -> None:
    """`/metrics` counts a post's retries: a dashboard of only "sent" hides a flaky Discord."""
    config, content = e2e_config(tmp_path, server, e2e_database_url)
    config = replace(config, monitoring=MonitoringConfig(listen="127.0.0.1:0"))
    clock, slept = FakeClock(START), list[float]()
    async with offline_bot(
        sandbox, config, clock=clock, seed=SEED, sleep=clock_sleep(clock, slept)
    ) as app:
        bot = Bot(sandbox, app, server, clock, content, slept)
        target = await _celebration(bot)
        bot.sb.fail_next("POST", MESSAGES, status=503, times=2, channel_id=target.channel.id)
        assert await _fire(bot, "celebration") == "sent"
        assert target.posts() == 1
        assert isinstance(app.bot.monitor.metrics, Metrics)
        shown = app.bot.monitor.metrics.render().decode()
    assert {result: _counted(shown, result) for result in ("retried", "sent")} == {
        "retried": 2.0,
        "sent": 1.0,
    }


def _counted(metrics: str, result: str) -> float:
    """Read one celebration counter from the Prometheus text; 0 when it was never counted."""
    sample = f'bounceback_scheduled_posts_total{{kind="celebration",result="{result}"}} '
    lines = [line for line in metrics.splitlines() if line.startswith(sample)]
    return float(lines[0].removeprefix(sample)) if lines else 0.0
