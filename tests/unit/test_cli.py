"""The CLI: exit codes and messages an operator relies on."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.invite import PERMISSIONS
from bot.storage.migrate import bundled_migrations
from tests.conftest import REPO


def _write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    content = (REPO / "content").as_posix()
    path.write_text(f"database:\n  path: data/bot.db\ncontent:\n  directory: {content}\n{extra}")
    return path


def test_python_m_bot_lists_every_command_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for name in ("run", "check", "sync", "db"):
        assert any(line.strip().startswith(name + " ") for line in result.stdout.splitlines())


def test_run_without_token_exits_2_and_says_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err
    assert "Reset Token" in err
    assert "bounceback demo" in err


def test_sync_without_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "  ")
    assert main(["sync"]) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


def test_run_with_a_broken_config_reports_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "token")
    path = _write_config(tmp_path, "privacy:\n  min_group_size: none\n")
    assert main(["run", "--config", str(path)]) == 1
    assert f"{path}:6:19: key 'privacy.min_group_size' must be a whole number" in (
        capsys.readouterr().err
    )


def test_check_prints_what_it_loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_config(tmp_path)
    assert main(["check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "data" / "bot.db") in out
    assert "default timezone: UTC" in out


def test_check_reports_a_broken_content_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "messages.yaml").write_text("greeting: [unclosed\n")
    path = tmp_path / "config.yaml"
    path.write_text("content:\n  directory: content\n")
    assert main(["check", "--config", str(path)]) == 1
    assert f"{content / 'messages.yaml'}:2:1: malformed YAML" in capsys.readouterr().err


def test_check_uses_config_yaml_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_config(tmp_path, "schedule:\n  timezone: Europe/Madrid\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "default timezone: Europe/Madrid" in capsys.readouterr().out


def test_db_migrate_then_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_config(tmp_path)
    assert main(["db", "migrate", "--config", str(path)]) == 0
    latest = len(bundled_migrations())
    assert f"schema version {latest} (0001_initial, " in capsys.readouterr().out
    assert main(["db", "migrate", "--config", str(path)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    target = tmp_path / "backup.db"
    assert main(["db", "backup", str(target), "--config", str(path)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (latest,)


def test_backup_without_a_database_explains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_config(tmp_path)
    assert main(["db", "backup", str(tmp_path / "b.db"), "--config", str(path)]) == 1
    assert "no database" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "bounceback"
    env = {**os.environ, "DISCORD_TOKEN": ""}
    result = subprocess.run(  # noqa: S603 - the venv's own console script, no shell
        [str(script), "run"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 2


def test_content_validate_reports_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    bad = content / "tips" / "zz-bad.yaml"
    bad.write_text("tips:\n  - id: x-1\n    topic: nowhere\n    text: ''\n")
    assert main(["content", "validate", str(content)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:4:11: key 'tips[0].text' must not be empty" in err
    assert main(["content", "validate", str(REPO / "content")]) == 0
    assert "12 topics, 108 tips" in capsys.readouterr().out


def test_run_refuses_a_short_secret_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "token")
    monkeypatch.setenv("BOUNCEBACK_SECRET", "short")
    assert main(["run", "--config", str(_write_config(tmp_path))]) == 1
    assert "BOUNCEBACK_SECRET must be at least 16 characters" in capsys.readouterr().err


def test_run_with_broken_content_lists_the_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "token")
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "topics.yaml").write_text("topics: [\n")
    path = tmp_path / "config.yaml"
    path.write_text("content:\n  directory: content\n")
    assert main(["run", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{content / 'topics.yaml'}:2:1: malformed YAML" in err
    assert "fix them and start again" in err


def test_bounceback_alone_prints_the_help() -> None:
    script = Path(sys.executable).parent / "bounceback"
    for args in ([], ["db"], ["content"]):
        result = subprocess.run([str(script), *args], capture_output=True, text=True, check=False)  # noqa: S603 - the venv's own console script, no shell
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert "usage: bounceback" in result.stdout
    assert (
        "invite"
        in subprocess.run([str(script)], capture_output=True, text=True, check=False).stdout  # noqa: S603 - the venv's own console script, no shell
    )


def test_invite_with_an_app_id_prints_the_documented_link(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invite", "--app-id", "1234567890"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234567890&")
    assert "scope=bot+applications.commands" in url
    assert url.endswith(f"permissions={PERMISSIONS.value}")
    assert f"permissions={PERMISSIONS.value}" in (REPO / "README.md").read_text()


def test_invite_without_token_or_app_id_says_how_to_pass_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["invite"]) == 2
    err = capsys.readouterr().err
    assert "--app-id" in err
    assert "DISCORD_TOKEN" in err


def test_bounceback_config_names_the_settings_file_for_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_config(tmp_path, "schedule:\n  timezone: Asia/Tokyo\n")
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("BOUNCEBACK_CONFIG", str(path))
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"config: {path}" in out
    assert "default timezone: Asia/Tokyo" in out
