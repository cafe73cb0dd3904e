"""`bounceback run`'s serving loop against the sandbox: bad tokens and graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from bot import cli
from bot.sandbox import Sandbox, point_discord_at
from tests.e2e.conftest import Server, e2e_config


async def test_a_rejected_token_gives_a_clear_message_not_a_traceback(
    sandbox: Sandbox, server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = e2e_config(tmp_path, server)
    with point_discord_at(sandbox):
        code = await cli.serve(config, "not-the-token")
    assert code == 1
    err = capsys.readouterr().err
    assert "Discord rejected the token" in err
    assert "Traceback" not in err


async def test_sigterm_stops_scheduler_bot_and_database_cleanly(
    sandbox: Sandbox, server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config, _ = e2e_config(tmp_path, server)
    with point_discord_at(sandbox), caplog.at_level(logging.INFO):
        serving = asyncio.create_task(cli.serve(config, sandbox.token))
        await sandbox.wait_identified(timeout=10)
        reply = await (await sandbox.invoke(server.alice, "about")).response(timeout=5)
        assert reply.embeds
        os.kill(os.getpid(), signal.SIGTERM)
        assert await asyncio.wait_for(serving, 10) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert "scheduler stopped" in messages
    assert "stopped cleanly" in messages
    with sqlite3.connect(config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM bot_meta").fetchone() == (1,)
