"""Log output an operator reads or ships: no colour codes in files, JSON lines on request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import discord.utils
import pytest

from bot import cli
from bot.__main__ import main
from bot.config import Config
from bot.logs import wants_colour

ANSI = "\x1b["


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    """Only this test's handler writes to the captured stream while it runs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers[:] = [h for h in handlers if type(h) is not logging.StreamHandler]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _run_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str = "") -> None:
    """`bounceback run` up to the point the bot would connect, logging what a bot logs."""

    async def fake_serve(config: Config, token: str) -> int:
        log = logging.getLogger("bot.app")
        log.info("ready in %d servers", 3)
        try:
            raise RuntimeError("the database went away")
        except RuntimeError:
            log.exception("weekly run failed\nsecond line")
        return 0

    monkeypatch.setenv("DISCORD_TOKEN", "token")
    monkeypatch.setattr(cli, "serve", fake_serve)
    path = tmp_path / "config.yaml"
    path.write_text(f"database:\n  path: data/bot.db\n{settings}")
    assert main(["run", "--config", str(path)]) == 0


def test_logs_to_a_pipe_carry_no_colour_codes_even_in_a_container(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(discord.utils, "is_docker", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    before = logging.getLogger().handlers[:]
    _run_logging(tmp_path, monkeypatch)
    assert logging.getLogger().handlers == before  # nothing left writing to a closed stream
    err = capsys.readouterr().err
    assert "[INFO    ] bot.app: ready in 3 servers" in err
    assert ANSI not in err


def test_json_format_writes_one_object_per_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run_logging(tmp_path, monkeypatch, "logging:\n  format: json\n")
    lines = capsys.readouterr().err.splitlines()
    entries = [json.loads(line) for line in lines]
    ready, failed = entries
    assert ready["level"] == "INFO"
    assert ready["logger"] == "bot.app"
    assert ready["message"] == "ready in 3 servers"
    assert datetime.fromisoformat(ready["time"]).tzinfo is not None
    assert failed["message"] == "weekly run failed\nsecond line"
    assert "RuntimeError: the database went away" in failed["exception"]
    assert "incident" not in failed


def test_colour_only_for_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_colour(Terminal())
    assert not wants_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Terminal())
