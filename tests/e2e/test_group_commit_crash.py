"""A bot killed (SIGKILL) in the middle of a burst of writes lost none it had acknowledged.

Writes are committed in batches (group commit): a member's /win, /goal set,
/rejection log or /accountability join is answered only after the transaction
holding it committed. The bot runs in a child process and is killed the moment
the sandbox records the tenth answer, while dozens of other writes are queued or
being committed; every answer the sandbox had received by then must match a row
in the database file.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from discord_sandbox import InteractionResult, Member, Sandbox
from discord_sandbox.requestlog import RecordedRequest
from tests.e2e.bot_process import BotProcess, bot_process
from tests.e2e.conftest import Server
from tests.e2e.test_weekly_thread_crash import _kill_now

CALLBACK = "/interactions/{interaction_id}/{token}/callback"
KILL_AT = 10  # answers recorded before the kill
MEMBERS = 25


def _crash_after_answers(
    monkeypatch: pytest.MonkeyPatch, sb: Sandbox, child: BotProcess, answers: int
) -> None:
    """Kill `child` as the sandbox records its `answers`-th interaction callback."""
    record: Callable[[RecordedRequest], None] = sb.requests.record
    seen = 0

    def record_then_crash(entry: RecordedRequest) -> None:
        nonlocal seen
        record(entry)
        if entry.matches("POST", CALLBACK) and child.alive:
            seen += 1
            if seen == answers:
                _kill_now(child.pid)

    monkeypatch.setattr(sb.requests, "record", record_then_crash)


def _rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as db:
        return list(db.execute(sql).fetchall())


async def test_every_acknowledged_write_survives_a_kill_mid_burst(
    sandbox: Sandbox, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "data" / "bounceback.db"
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  path: {database}\ncontent:\n  watch: false\n")
    members: list[Member] = server.guild.add_members(MEMBERS)
    addresses = (sandbox.api_base, sandbox.base_url, sandbox.gateway_url, sandbox.token)
    async with bot_process(*addresses, config) as child:
        try:
            await child.wait_for_line(lambda line: "ready:" in line, timeout=20)
        except TimeoutError:
            raise AssertionError("\n".join(child.lines)) from None
        _crash_after_answers(monkeypatch, sandbox, child, KILL_AT)
        sent: list[tuple[str, str, InteractionResult]] = []
        for n, member in enumerate(members):
            for path, options in (
                ("win", {"text": f"Win {n}"}),
                ("goal set", {"text": f"Goal {n}"}),
                ("rejection log", {"stage": "application"}),
                ("accountability join", {}),
            ):
                result = await sandbox.invoke(member, path, options=options, channel=server.general)
                sent.append((path, str(member.id), result))
                # Let the sandbox take the bot's answers between sends, so the kill lands
                # while the burst is still going out (a yield, not a wait for anything).
                await asyncio.sleep(0)
        assert await child.wait_until_dead() == -9
    monkeypatch.undo()

    acknowledged = [(path, who) for path, who, result in sent if result.responded]
    # The kill came mid-burst: some writes were answered, others never were.
    assert len(acknowledged) >= KILL_AT
    assert len(acknowledged) < len(sent)
    wins = {text for (text,) in _rows(database, "SELECT text FROM wins")}
    goals = {text for (text,) in _rows(database, "SELECT text FROM goals")}
    joined = {str(u) for (u,) in _rows(database, "SELECT user_id FROM accountability_members")}
    logged = sum(n for (n,) in _rows(database, "SELECT COUNT(*) FROM rejections"))
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
