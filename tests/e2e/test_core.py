"""The bot core through the sandbox: help, about, sync, reconnect, DMs and the error handler."""

from __future__ import annotations

import logging
import re

import pytest

from bot.offline import offline_bot
from discord_sandbox import Sandbox
from tests.e2e.conftest import Bot, Server, e2e_config


def _field_text(embed: dict[str, object]) -> str:
    fields = embed.get("fields", [])
    assert isinstance(fields, list)
    return "\n".join(f"{f['name']}\n{f['value']}" for f in fields)


async def test_help_lists_every_command_grouped_and_privately(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "help")
    assert reply.ephemeral
    (embed,) = reply.embeds
    text = _field_text(embed)
    for name in ("/help", "/about", "/tip", "/tips add", "/tips reload"):
        assert f"`{name}`" in text
    assert [f["name"] for f in embed["fields"]][:2] == ["Getting started", "Tips"]
    assert all(len(f["value"]) < 1024 for f in embed["fields"])  # nothing cut off
    total = len(embed["title"]) + len(embed["description"])
    assert total + sum(len(f["name"]) + len(f["value"]) for f in embed["fields"]) < 6000


async def test_about_shows_version_privacy_and_source(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "about")
    assert reply.ephemeral
    text = _field_text(reply.embeds[0])
    assert "0.1.0" in text
    assert "/forget-me" in text
    assert bot.app.config.source_url in text


async def test_commands_sync_once_and_not_again_when_unchanged(
    sandbox: Sandbox, server: Server, tmp_path
) -> None:
    config, _ = e2e_config(tmp_path, server)
    async with offline_bot(sandbox, config):
        pass
    assert sandbox.command_syncs == 1
    names = {c["name"] for c in sandbox.global_commands}
    assert {"help", "about", "tip", "tips"} <= names
    async with offline_bot(sandbox, config):
        pass
    assert sandbox.command_syncs == 1


async def test_reconnect_after_a_dropped_socket_still_answers(bot: Bot) -> None:
    await bot.sb.drop_connection()
    await bot.sb.wait_resumed(timeout=5)
    reply = await bot.say(bot.server.alice, "about")
    assert reply.embeds[0]["title"] == "About Bounceback"


async def test_help_works_in_a_dm(bot: Bot) -> None:
    stranger = bot.sb.create_user("dee")
    result = await bot.sb.invoke(stranger, "help")
    reply = await result.response(timeout=5)
    assert reply.embeds[0]["title"] == "Bounceback"


async def test_an_unexpected_error_shows_an_incident_id_that_is_in_the_log(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.app.db.execute("DROP TABLE tip_seen")
    with caplog.at_level(logging.ERROR, logger="bot.incidents"):
        reply = await bot.say(bot.server.alice, "tip")
    assert reply.ephemeral
    assert "not your fault" in (reply.content or "")
    match = re.search(r"incident `(BB-[0-9A-F]{6})`", reply.content or "")
    assert match is not None
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
