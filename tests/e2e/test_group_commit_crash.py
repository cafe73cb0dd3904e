"""A bot killed (SIGKILL) in the middle of a burst of writes lost none it had acknowledged.

Writes are committed in batches (group commit): a member's /win, /goal set,
/rejection log or /accountability join is answered only after the transaction
holding it committed. The bot runs in a child process; writes arrive in waves of
twenty (five members' four commands at once), and the bot is killed the moment the
sandbox records the 30th answer, in the middle of the second wave; every answer the
sandbox had received by then must match a row in the database (an SQLite file, or
PostgreSQL through the pool).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.storage.connect import database_for
from discord_sandbox import InteractionResult, Member, Sandbox
from discord_sandbox.requestlog import RecordedRequest
from tests.e2e.bot_process import BotProcess, bot_process, kill_when
from tests.e2e.conftest import Server

CALLBACK = "/interactions/{interaction_id}/{token}/callback"
KILL_AT = 30  # answers recorded before the kill: ten into the second wave
MEMBERS = 25
WAVE = 5  # members whose four writes are sent together
COMMANDS: tuple[tuple[str, Callable[[int], dict[str, str]]], ...] = (
    ("win", lambda n: {"text": f"Win {n}"}),
    ("goal set", lambda n: {"text": f"Goal {n}"}),
    ("rejection log", lambda n: {"stage": "application"}),
    ("accountability join", lambda n: {}),
)


def _crash_after_answers(
    monkeypatch: pytest.MonkeyPatch, sb: Sandbox, child: BotProcess, answers: int
) -> None:
    """Kill `child` as the sandbox records its `answers`-th interaction callback."""
    seen = 0

    def answered_enough(entry: RecordedRequest) -> bool:
        nonlocal seen
        seen += entry.matches("POST", CALLBACK)
        return seen == answers  # once: the process may be reaped before `alive` says so

    kill_when(monkeypatch, sb, child, answered_enough)


async def _answered_or_dead(results: list[InteractionResult], dead: asyncio.Future[int]) -> None:
    """Wait until the bot answered every write of a wave, or was killed."""
    answered = asyncio.ensure_future(asyncio.gather(*(r.response(timeout=20) for r in results)))
    await asyncio.wait({answered, dead}, return_when=asyncio.FIRST_COMPLETED)
    if answered.done():
        answered.result()  # a live bot that did not answer fails the test here
    else:
        answered.cancel()


async def _rows(database: str, sql: str) -> list[tuple[Any, ...]]:
    db = database_for(database)
    await db.connect()
    try:
        return [tuple(row) for row in await db.fetch_all(sql)]
    finally:
        await db.close()


async def test_every_acknowledged_write_survives_a_kill_mid_burst(
    sandbox: Sandbox,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    database = database_url
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: {database}\n  path: {tmp_path / 'data' / 'bounceback.db'}\n"
        "content:\n  watch: false\n"
    )
    members: list[Member] = server.guild.add_members(MEMBERS)
    addresses = (sandbox.api_base, sandbox.base_url, sandbox.gateway_url, sandbox.token)
    async with bot_process(*addresses, config) as child:
        try:
            await child.wait_for_line(lambda line: "ready:" in line, timeout=20)
        except TimeoutError:
            raise AssertionError("\n".join(child.lines)) from None
        _crash_after_answers(monkeypatch, sandbox, child, KILL_AT)
        sent: list[tuple[str, str, InteractionResult]] = []
        dead = asyncio.ensure_future(child.wait_until_dead())
        for first in range(0, MEMBERS, WAVE):
            wave = [
                (
                    path,
                    member,
                    await sandbox.invoke(member, path, options=options(n), channel=server.general),
                )
                for n, member in enumerate(members[first : first + WAVE], start=first)
                for path, options in COMMANDS
            ]
            sent += [(path, str(member.id), result) for path, member, result in wave]
            if not dead.done():  # a dead bot answers nothing: its waves are sent regardless
                await _answered_or_dead([result for _, _, result in wave], dead)
        assert await dead == -9
    monkeypatch.undo()

    acknowledged = [(path, who) for path, who, result in sent if result.responded]
    # The kill came mid-burst: some writes were answered, others never were.
    assert len(acknowledged) >= KILL_AT
    assert len(acknowledged) < len(sent)
    wins = {text for (text,) in await _rows(database, "SELECT text FROM wins")}
    goals = {text for (text,) in await _rows(database, "SELECT text FROM goals")}
    joined = {
        str(u) for (u,) in await _rows(database, "SELECT user_id FROM accountability_members")
    }
    logged = sum(n for (n,) in await _rows(database, "SELECT COUNT(*) FROM rejections"))
    by_member = {str(m.id): n for n, m in enumerate(members)}
    for path, who in acknowledged:
        n = by_member[who]
        if path == "win":
            assert f"Win {n}" in wins
        elif path == "goal set":
            assert f"Goal {n}" in goals
        elif path == "accountability join":
            assert who in joined
    assert logged >= Counter(path for path, _ in acknowledged)["rejection log"]
    # Replies came from committed writes, not a refusal or an error.
    for path, _, result in sent:
        if result.responded:
            response = await asyncio.wait_for(result.response(), 1)
            assert response.kind == "message", (path, response.data)
