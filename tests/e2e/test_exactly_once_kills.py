"""Weekly posts survive a bot process killed (SIGKILL) mid-post: exactly one post each.

The bot runs in a child process (`bot_process.py`); the sandbox kills it at one
exact request, before the bot hears the answer. A second child on the same
database is the restart: its lease sweep (the dead lease lasts a second) or its
catch-up takes the post over and continues from the first part not yet sent.
Two children started together race for the same weeks. Every test runs on
SQLite and on PostgreSQL (`database.url` in the children's config) and adds to
the run's crash tally, printed at the end: kills, lost weeks, duplicate posts.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.config import WEEKDAYS
from bot.domain.accountability import AccountabilitySettings
from bot.domain.weeks import week_key
from bot.storage.connect import database_for
from bot.storage.group_commit import GroupCommit
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.migrate import migrate
from bot.storage.wins import WinsRepository
from discord_sandbox import Channel, Message, Sandbox
from discord_sandbox.requestlog import RecordedRequest
from tests.e2e.bot_process import BotProcess, bot_process, kill_when
from tests.e2e.conftest import CrashTally, Server

MESSAGES = "/channels/{channel_id}/messages"
FINISHED_S = 60.0  # two children starting on a busy two-core machine
LONG_WIN = "a small step forward " * 13  # sixteen of these need two celebration parts


@dataclass(frozen=True)
class Scene:
    """A server whose celebration and weekly thread are all due five minutes ago."""

    config: Path
    database: str  # the URL every child and the test itself open
    wins: Channel
    goals: Channel


async def _scene(
    tmp_path: Path, server: Server, database: str, *, wins: int, lease: int = 1
) -> Scene:
    due = datetime.now(UTC) - timedelta(minutes=5)
    weekday, time, stamp = WEEKDAYS[due.weekday()], f"{due:%H:%M}", due.isoformat()
    wins_channel = server.guild.create_text_channel("wins")
    goals = server.guild.create_text_channel("goals")
    db = database_for(database)
    await db.connect()
    try:
        await migrate(db)
        settings = GuildSettingsRepository(db)
        await settings.set_celebration(
            server.guild.id, wins_channel.id, weekday, time, "UTC", stamp
        )
        thread = AccountabilitySettings(server.guild.id, goals.id, *[None] * 5)
        await settings.set_accountability(thread, stamp)
        repo = WinsRepository(db, GroupCommit(db), lambda guild_id, user_id: f"owner-{user_id}")
        for n in range(wins):
            text = f"Win {n}: " + (LONG_WIN if wins > 1 else "kept going")
            await repo.add(server.guild.id, "o", None, text, week_key(due.date()), stamp[:10])
    finally:
        await db.close()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: {database}\n  path: {tmp_path / 'data' / 'bounceback.db'}\n"
        "content:\n  watch: false\n"
        f"schedule:\n  timezone: UTC\n  lease_seconds: {lease}\n"
        f'  celebration:\n    weekday: {weekday}\n    time: "{time}"\n'
        f'  accountability:\n    weekday: {weekday}\n    time: "{time}"\n'
        f"  checkin_weekday: {weekday}\n  recap_weekday: {weekday}\n",
        encoding="utf-8",
    )
    return Scene(config, database, wins_channel, goals)


def _addresses(sandbox: Sandbox) -> tuple[str, str, str, str]:
    return (sandbox.api_base, sandbox.base_url, sandbox.gateway_url, sandbox.token)


def _posts_to(channel: Channel) -> Callable[[RecordedRequest], bool]:
    def matches(entry: RecordedRequest) -> bool:
        return entry.matches("POST", MESSAGES) and entry.params.get("channel_id") == str(channel.id)

    return matches


def _celebration(scene: Scene) -> list[Message]:
    return [m for m in scene.wins.messages if m.embeds]


def _thread(sandbox: Sandbox, scene: Scene) -> list[Channel]:
    return [c for c in sandbox.world.channels.values() if c.parent_id == scene.goals.id]


async def _claims(scene: Scene) -> dict[str, tuple[str, int]]:
    db = database_for(scene.database)
    await db.connect()
    try:
        rows = await db.fetch_all(
            "SELECT p.kind, p.status, COUNT(s.part) FROM scheduled_posts p "
            "LEFT JOIN scheduled_post_parts s USING (guild_id, kind, week) "
            "GROUP BY p.kind, p.status"
        )
    finally:
        await db.close()
    return {str(kind): (str(status), int(parts)) for kind, status, parts in rows}


def _contains(text: str, line: str) -> bool:
    return text in line


async def _until_logged(children: Sequence[BotProcess], *texts: str) -> None:
    """Wait until some child logged each text (a run's end), whichever child it was."""
    for text in texts:
        logged = partial(_contains, text)
        waits = [asyncio.create_task(c.wait_for_line(logged)) for c in children]
        done, pending = await asyncio.wait(
            waits, timeout=FINISHED_S, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        logs = "\n\n".join("\n".join(c.lines[-25:]) for c in children)
        assert any(not t.cancelled() and t.exception() is None for t in done), f"{text}\n{logs}"


async def _kill_then_restart(
    sandbox: Sandbox,
    scene: Scene,
    monkeypatch: pytest.MonkeyPatch,
    moment: Callable[[RecordedRequest], bool],
    finished: Sequence[str],
) -> None:
    async with bot_process(*_addresses(sandbox), scene.config) as first:
        kill_when(monkeypatch, sandbox, first, moment)
        assert await first.wait_until_dead() == -signal.SIGKILL
    monkeypatch.undo()
    async with bot_process(*_addresses(sandbox), scene.config) as second:
        await _until_logged([second], *finished)


async def test_killed_between_the_claim_and_the_send(
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash_tally: CrashTally,
    database_url: str,
) -> None:
    scene = await _scene(tmp_path, server, database_url, wins=1)
    sandbox.fail_next("POST", MESSAGES, status=500, channel_id=scene.wins.id)  # never served
    finished = f"weekly celebration for {server.guild.id}: sent"
    await _kill_then_restart(sandbox, scene, monkeypatch, _posts_to(scene.wins), [finished])
    posts = _celebration(scene)
    crash_tally.record(kills=1, expected=1, made=len(posts))
    assert len(posts) == 1
    assert "Win 0: kept going" in posts[0].embeds[0]["description"]
    assert (await _claims(scene))["celebration"] == ("sent", 1)


@pytest.mark.parametrize(
    "served", [False, True], ids=["part 2 never sent", "part 2 sent, no reply"]
)
async def test_killed_between_part_one_and_part_two_of_a_split_celebration(
    served: bool,
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash_tally: CrashTally,
    database_url: str,
) -> None:
    scene = await _scene(tmp_path, server, database_url, wins=16)
    to_wins = _posts_to(scene.wins)
    seen: list[RecordedRequest] = []

    def at_part_two(entry: RecordedRequest) -> bool:
        if not to_wins(entry):
            return False
        seen.append(entry)
        if len(seen) == 1 and not served:  # part 1 went out: refuse part 2, and die at it
            sandbox.fail_next("POST", MESSAGES, status=500, channel_id=scene.wins.id)
        return len(seen) == 2

    finished = f"weekly celebration for {server.guild.id}: sent"
    await _kill_then_restart(sandbox, scene, monkeypatch, at_part_two, [finished])
    posts = _celebration(scene)
    crash_tally.record(kills=1, expected=2, made=len(posts))
    assert [p.embeds[0]["title"] for p in posts] == [
        "This week's small wins",
        "This week's small wins (continued)",
    ]
    text = "\n".join(p.embeds[0]["description"] for p in posts)
    assert all(text.count(f"Win {n}: ") == 1 for n in range(16))
    resent = [r for r in sandbox.requests.filter(method="POST", route=MESSAGES) if to_wins(r)]
    assert len(resent) == 3  # part 1, part 2 killed, part 2 again: part 1 was never resent
    assert sandbox.world.nonces.deduplicated == (1 if served else 0)
    assert (await _claims(scene))["celebration"] == ("sent", 2)


@pytest.mark.parametrize("nth", [1, 2], ids=["check-in", "recap"])
async def test_killed_after_discord_posted_in_the_weekly_thread(
    nth: int,
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash_tally: CrashTally,
    database_url: str,
) -> None:
    scene = await _scene(tmp_path, server, database_url, wins=1)
    in_threads: list[RecordedRequest] = []

    def at_thread_post(entry: RecordedRequest) -> bool:
        if not entry.matches("POST", MESSAGES):
            return False
        if any(entry.params.get("channel_id") == str(t.id) for t in _thread(sandbox, scene)):
            in_threads.append(entry)
        return len(in_threads) == nth

    guild = server.guild.id
    finished = [f"weekly {kind} for {guild}: sent" for kind in ("checkin", "recap")[nth - 1 :]]
    await _kill_then_restart(sandbox, scene, monkeypatch, at_thread_post, finished)
    (thread,) = _thread(sandbox, scene)
    made = len(thread.messages) + len(_celebration(scene)) + len(scene.goals.messages)
    crash_tally.record(kills=1, expected=4, made=made)
    assert len(thread.messages) == 2  # the check-in and the recap, once each
    assert len(scene.goals.messages) == 1
    assert len(_celebration(scene)) == 1
    assert sandbox.world.nonces.deduplicated == 1
    assert {kind: claim[0] for kind, claim in (await _claims(scene)).items()} == dict.fromkeys(
        ("celebration", "accountability", "checkin", "recap"), "sent"
    )


async def test_two_processes_racing_for_the_same_weeks_post_each_once(
    sandbox: Sandbox, server: Server, tmp_path: Path, crash_tally: CrashTally, database_url: str
) -> None:
    scene = await _scene(tmp_path, server, database_url, wins=1, lease=120)
    guild = server.guild.id
    kinds = ("celebration", "accountability", "checkin", "recap")
    async with (
        bot_process(*_addresses(sandbox), scene.config) as one,
        bot_process(*_addresses(sandbox), scene.config) as two,
    ):
        await _until_logged([one, two], *(f"weekly {kind} for {guild}: sent" for kind in kinds))
        for child in (one, two):
            await child.wait_for_line(lambda line: "ready: 1 servers" in line)
    (thread,) = _thread(sandbox, scene)
    made = len(thread.messages) + len(_celebration(scene)) + len(scene.goals.messages)
    crash_tally.record(kills=0, expected=4, made=made)
    assert len(_celebration(scene)) == 1
    assert len(scene.goals.messages) == 1
    assert len(thread.messages) == 2
    assert {kind: claim[0] for kind, claim in (await _claims(scene)).items()} == dict.fromkeys(
        kinds, "sent"
    )
