"""/forget-me in one process removes what another process of the same shard holds about the member.

A deploy's new process starts before the old one stops, so for a while two processes run
the same shard. Here the old one (B) shows Maya a tip and stops dead in a long pause, the
row still waiting in its write-behind queue and her seen set in its cache; the new one (A)
comes up beside it, Discord ends B's silent connection, and Maya's /forget-me reaches A.
When B wakes up, writes its queue and serves Maya again, nothing of hers comes back: her
/my-data through B is empty, her next /tip there is a first tip (no "you have seen every
tip" note), and once B has shut down in order the database holds only that new tip.
Real processes on one sandbox and one database, SQLite file or PostgreSQL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from bot.demo.transcript import find_button
from bot.storage.connect import database_for
from discord_sandbox import InteractionResponse, Member, Sandbox
from discord_sandbox.requestlog import RecordedRequest
from tests.e2e.bot_process import BotProcess, bot_process, freeze_when
from tests.e2e.conftest import build_server, e2e_config

WAIT = 10.0
# B finds its session ended: discord.py waits up to 5 s before it IDENTIFYs again.
REIDENTIFY_WAIT = 20.0
TOPIC = "zz-one-tip"  # one tip: the second /tip in it says the member has seen them all
ONE_TIP_TOPIC = f"""
  - id: {TOPIC}
    name: One tip
    description: A topic with a single tip, so a repeat is told apart from a first time.
    emoji: "1"
"""
ONE_TIP = f"""\
tips:
  - id: zz-one-tip-01
    topic: {TOPIC}
    text: The only tip of its topic.
"""
SEEN_THEM_ALL = "seen every tip in this topic"


def _content_with_one_tip_topic(content: Path) -> None:
    with (content / "topics.yaml").open("a") as topics:
        topics.write(ONE_TIP_TOPIC)
    (content / "tips" / "zz-one-tip.yaml").write_text(ONE_TIP)


def _config(tmp_path: Path, content: Path, url: str) -> Path:
    path = tmp_path / "bot.yaml"
    settings = {"database": {"url": url}, "content": {"directory": str(content), "watch": False}}
    path.write_text(yaml.safe_dump(settings))
    return path


def _tip_callback(entry: RecordedRequest) -> bool:
    return entry.method == "POST" and (entry.route or "").endswith("/callback")


async def _tip(sb: Sandbox, who: Member) -> InteractionResponse:
    reply = await (await sb.invoke(who, "tip", options={"topic": TOPIC})).response(timeout=WAIT)
    assert reply.embeds, "no tip"
    return reply


async def _forget(sb: Sandbox, who: Member) -> None:
    ask = await (await sb.invoke(who, "forget-me")).response(timeout=WAIT)
    assert ask.message is not None
    press = await sb.click(who, ask.message, find_button(ask.components, "Delete everything"))
    assert ((await press.response(timeout=WAIT)).content or "").startswith("Done.")


async def _my_data(sb: Sandbox, who: Member) -> dict[str, object]:
    reply = await (await sb.invoke(who, "my-data")).response(timeout=WAIT)
    (file,) = reply.attachments
    data: dict[str, object] = json.loads(file.data)
    return data


async def _tip_rows(url: str) -> int:
    db = database_for(url)
    await db.connect()
    try:
        row = await db.fetch_one("SELECT COUNT(*) AS n FROM tip_seen")
        return int(row["n"]) if row is not None else 0
    finally:
        await db.close()


async def _stopped(child: BotProcess) -> None:
    await child.terminate(WAIT)
    assert any("stopped cleanly" in line for line in child.lines), child.lines[-20:]


async def test_forget_me_in_the_new_process_wins_over_the_old_ones_queue_and_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("BOUNCEBACK_SECRET", os.urandom(32).hex())
    async with Sandbox() as sb:
        server = build_server(sb)
        maya = server.alice
        _, content = e2e_config(tmp_path, server)
        _content_with_one_tip_topic(content)
        config = _config(tmp_path, content, database_url)
        where = (sb.api_base, sb.base_url, sb.gateway_url, sb.token)
        async with bot_process(*where, config, via_cli=True) as old:
            await old.wait_for_line(lambda line: "ready:" in line)
            freeze_when(monkeypatch, sb, old, _tip_callback)
            first = await _tip(sb, maya)  # B answers, then stops dead: the row is still queued
            assert SEEN_THEM_ALL not in (first.content or "")
            async with bot_process(*where, config) as new:
                await new.wait_for_line(lambda line: "ready:" in line)
                b_session, a_session = sb.gateway.session_ids(0)  # both run shard 0
                await sb.invalidate_session(0, b_session)  # Discord ends B's silent socket
                assert sb.gateway.session_ids(0) == [a_session]
                await _forget(sb, maya)  # only A sees it
            old.thaw()  # A has stopped; B wakes up, writes its queue, identifies again
            await sb.gateway.changes.wait_for(
                lambda: (sb.gateway_stats.identifies == 3 and sb.gateway.connected) or None,
                REIDENTIFY_WAIT,
                "B to identify again",
            )
            data = await _my_data(sb, maya)  # B writes its queue before it reads
            assert data["tips_seen"] == []
            assert all(v == [] for v in data.values() if isinstance(v, list)), data
            again = await _tip(sb, maya)
            assert SEEN_THEM_ALL not in (again.content or "")  # a first tip, not a repeat
            await _stopped(old)
        assert await _tip_rows(database_url) == 1  # only the tip shown after /forget-me
