"""Work that cannot fail silently: the content watcher, large reloads, button failures."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import threading
from pathlib import Path

import pytest

import bot.content.store as store_module
from benchmarks.content_load import write_library
from bot.content.commands import Registered
from bot.content.library import Library
from bot.demo.transcript import find_button
from tests.e2e.conftest import Bot

MESSAGES_ROUTE = "/channels/{channel_id}/messages"
DISCORD_PY_TRIES = 5  # discord.py retries a 500 this many times, about 25 s in all
BROKEN = """\
tips:
  - id: zz-broken-01
    topic: nowhere
    text: Fine words, wrong topic.
"""
FIXED = """\
tips:
  - id: zz-broken-01
    topic: resilience
    text: Fine words, right topic this time.
"""


async def test_a_discord_outage_while_reporting_a_broken_edit_does_not_stop_the_watcher(
    bot: Bot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report waits on Discord's retries; a short limit keeps the test brief.
    monkeypatch.setattr(store_module, "REPORT_TIMEOUT_S", 0.5)
    store = bot.app.bot.services.content
    bot.sb.fail_next("POST", MESSAGES_ROUTE, status=500, times=DISCORD_PY_TRIES * 2)
    path = bot.content / "tips" / "zz-broken.yaml"
    before = store.reloads
    with caplog.at_level(logging.ERROR, logger="bot.incidents"):
        path.write_text(BROKEN)
        await store.wait_for_reload(before, timeout=5)
    assert bot.sb.failures_served >= 1  # the moderator log really answered 500
    (record,) = [r for r in caplog.records if r.name == "bot.incidents"]
    assert re.fullmatch(r"BB-[0-9A-F]{6}", record.incident)
    assert record.getMessage() == f"incident {record.incident} in content watcher"
    assert record.exc_info is not None

    path.write_text(FIXED)
    await store.wait_for_reload(before + 1, timeout=5)
    assert store.library.tips["zz-broken-01"].text == "Fine words, right topic this time."


def _replace_library(content: Path, scratch: Path, topics: int, per_topic: int) -> None:
    """Swap the bot's tips and topics for a large generated library (same messages.yaml)."""
    generated = write_library(scratch, topics, per_topic)
    shutil.rmtree(content / "tips")
    shutil.rmtree(content / "locales")  # the shipped translations name tips that are gone
    shutil.copytree(generated / "tips", content / "tips")
    shutil.copytree(generated / "locales", content / "locales")
    shutil.copy(generated / "topics.yaml", content / "topics.yaml")


async def test_help_is_answered_while_a_reload_parses_a_large_library(
    bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bot.app.bot.services.content
    await store.stop()  # only /tips reload parses in this test
    _replace_library(bot.content, tmp_path / "generated", topics=10, per_topic=300)
    parsing, help_answered = threading.Event(), threading.Event()
    load_library = store_module.load_library

    def parse_until_help_is_answered(directory: Path, commands: Registered) -> Library:
        parsing.set()
        library = load_library(directory, commands)
        help_answered.wait(timeout=10)  # on the event loop this would freeze the bot
        return library

    monkeypatch.setattr(store_module, "load_library", parse_until_help_is_answered)
    mo, alice = bot.server.mo, bot.server.alice
    reload = await bot.sb.invoke(mo, "tips reload", channel=bot.server.general)
    assert await asyncio.to_thread(parsing.wait, 5)
    help_reply = await bot.say(alice, "help")
    reload_answered_first = reload.responded
    help_answered.set()
    reply = await reload.response(timeout=5)

    assert not reload_answered_first
    assert help_reply.embeds[0]["title"] == "Bounceback"
    assert (
        reply.content == "Content reloaded: 3,000 tips are live (topics: 10)."
    )  # numbers as English writes them
    assert len(store.library.tips) == 3000


async def test_a_failing_button_answers_with_an_incident_id_that_is_in_the_log(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.server.alice
    reply = await bot.say(alice, "tip")
    helped = find_button(reply.components, "This helped")
    await bot.app.db.execute("DROP TABLE tip_votes")
    with caplog.at_level(logging.ERROR, logger="bot.incidents"):
        pressed = await bot.sb.click(alice, reply.message, helped)
        answer = await pressed.response(timeout=5)
    assert answer.ephemeral
    assert "not your fault" in (answer.content or "")
    match = re.search(r"incident `(BB-[0-9A-F]{6})`", answer.content or "")
    assert match is not None
    (record,) = [r for r in caplog.records if r.name == "bot.incidents"]
    assert record.getMessage() == f"incident {match.group(1)} in button: this helped"
    assert record.exc_info is not None
