"""A bot killed (SIGKILL) while opening the weekly thread finishes the week after a restart.

The bot runs in a child process. The sandbox kills it at one exact moment: right
after Discord has done something but before the bot hears back (a starter sent,
a thread or forum post created), or as the first member add goes out after the
thread id was recorded. A second child on the same database is the restart.
Every case must end with one starter, one thread, and the joined member in it,
on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import WEEKDAYS
from bot.domain.accountability import AccountabilitySettings
from bot.storage.accountability import MembershipRepository
from bot.storage.connect import database_for
from bot.storage.group_commit import GroupCommit
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.migrate import migrate
from discord_sandbox import Channel, Sandbox
from discord_sandbox.requestlog import RecordedRequest
from tests.e2e.bot_process import bot_process, kill_when
from tests.e2e.conftest import CrashTally, Server

MESSAGES = "/channels/{channel_id}/messages"
THREAD_ON_MESSAGE = "/channels/{channel_id}/messages/{message_id}/threads"
THREADS = "/channels/{channel_id}/threads"
THREAD_MEMBER = "/channels/{channel_id}/thread-members/{user_id}"
FINISHED_S = 30.0


@dataclass(frozen=True)
class Moment:
    """When to kill the bot: the first request to `route` that the sandbox answers."""

    forum: bool
    method: str
    route: str
    served: bool  # False: the request fails (not served) and the bot dies before it retries

    def matches(self, entry: RecordedRequest, channel: Channel) -> bool:
        if not entry.matches(self.method, self.route):
            return False
        return self.route == THREAD_MEMBER or entry.params.get("channel_id") == str(channel.id)


MOMENTS = {
    "text: starter sent, no reply": Moment(False, "POST", MESSAGES, True),
    "text: thread created, no reply": Moment(False, "POST", THREAD_ON_MESSAGE, True),
    "text: thread recorded, before member adds": Moment(False, "PUT", THREAD_MEMBER, False),
    "forum: post created, no reply": Moment(True, "POST", THREADS, True),
    "forum: post recorded, before member adds": Moment(True, "PUT", THREAD_MEMBER, False),
}


def _config_text(database: str, secret_folder: Path) -> str:
    """Defaults, with the weekly thread due five minutes ago and the other runs days away.

    The dead process's lease lasts a second, so the restart takes the week over
    at once (its start-up catch-up, or its sweep a second later).
    """
    due = datetime.now(UTC) - timedelta(minutes=5)
    later = [WEEKDAYS[(due.weekday() + n) % 7] for n in (3, 5)]
    return (
        f"database:\n  url: {database}\n  path: {secret_folder / 'bounceback.db'}\n"
        "content:\n  watch: false\n"
        "schedule:\n  timezone: UTC\n  lease_seconds: 1\n"
        f"  accountability:\n    weekday: {WEEKDAYS[due.weekday()]}\n"
        f'    time: "{due:%H:%M}"\n'
        f"  checkin_weekday: {later[0]}\n  recap_weekday: {later[1]}\n"
    )


async def _prepare(tmp_path: Path, server: Server, channel: Channel, database: str) -> Path:
    """Build a database where the server set up its weekly thread and Alice joined it."""
    db = database_for(database)
    await db.connect()
    try:
        await migrate(db)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        settings = AccountabilitySettings(server.guild.id, channel.id, *[None] * 5)
        await GuildSettingsRepository(db).set_accountability(settings, stamp)
        await MembershipRepository(db, GroupCommit(db)).join(
            server.guild.id, server.alice.id, stamp[:10]
        )
    finally:
        await db.close()
    config = tmp_path / "config.yaml"
    config.write_text(_config_text(database, tmp_path / "data"), encoding="utf-8")
    return config


def _threads(sb: Sandbox, parent: Channel) -> list[Channel]:
    return [c for c in sb.world.channels.values() if c.is_thread and c.parent_id == parent.id]


async def _claim(database: str, guild_id: int) -> tuple[str, int | None]:
    db = database_for(database)
    await db.connect()
    try:
        row = await db.fetch_one(
            "SELECT status, thread_id FROM scheduled_posts WHERE guild_id = ? AND kind = ?",
            (guild_id, "accountability"),
        )
    finally:
        await db.close()
    assert row is not None
    return str(row[0]), row[1]


@pytest.mark.parametrize("moment", list(MOMENTS.values()), ids=list(MOMENTS))
async def test_a_crash_while_opening_the_thread_is_finished_after_a_restart(
    moment: Moment,
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash_tally: CrashTally,
    database_url: str,
) -> None:
    guild = server.guild
    channel = (
        guild.create_forum_channel("accountability")
        if moment.forum
        else guild.create_text_channel("goals")
    )
    config = await _prepare(tmp_path, server, channel, database_url)
    if not moment.served:
        sandbox.fail_next(moment.method, moment.route, status=500)
    addresses = (sandbox.api_base, sandbox.base_url, sandbox.gateway_url, sandbox.token)

    async with bot_process(*addresses, config) as first:
        kill_when(monkeypatch, sandbox, first, lambda entry: moment.matches(entry, channel))
        assert await first.wait_until_dead() == -signal.SIGKILL
    monkeypatch.undo()

    async with bot_process(*addresses, config) as second:
        finished = f"weekly accountability for {guild.id}: sent"
        await second.wait_for_line(lambda line: finished in line, timeout=FINISHED_S)

    threads = _threads(sandbox, channel)
    crash_tally.record(kills=1, expected=1, made=len(threads))
    assert len(threads) == 1, [t.name for t in threads]
    thread = threads[0]
    assert server.alice.id in thread.thread_members
    starters = thread.messages if moment.forum else channel.messages
    assert len(starters) == 1
    assert "/goal set" in starters[0].content
    assert await _claim(database_url, guild.id) == ("sent", thread.id)
