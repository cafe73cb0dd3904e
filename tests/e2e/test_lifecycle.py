"""`bounceback run`'s serving loop against the sandbox: bad tokens and graceful shutdown."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from bot import cli
from discord_sandbox import Sandbox, point_discord_at
from tests.e2e.bot_process import bot_process
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
    sandbox: Sandbox, server: Server, tmp_path: Path
) -> None:
    database = tmp_path / "data" / "bounceback.db"
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  path: {database}\ncontent:\n  watch: false\n")
    addresses = (sandbox.api_base, sandbox.base_url, sandbox.gateway_url, sandbox.token)
    async with bot_process(*addresses, config, via_cli=True) as child:
        await sandbox.wait_identified(timeout=30)
        reply = await (await sandbox.invoke(server.alice, "about")).response(timeout=10)
        assert reply.embeds
        os.kill(child.pid, signal.SIGTERM)
        assert await child.wait_until_dead() == 0
    assert any("scheduler stopped" in line for line in child.lines), child.lines[-10:]
    assert any("stopped cleanly" in line for line in child.lines), child.lines[-10:]
    with sqlite3.connect(database) as db:
        keys = {key for (key,) in db.execute("SELECT key FROM bot_meta")}
        assert keys == {"command_tree:global", "command_tree:global:claim"}  # synced, claimed
