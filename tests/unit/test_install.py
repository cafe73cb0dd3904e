"""Installed like a product: the bot runs from any folder with the library it ships."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.content.location import shipped_content

SCRIPT = Path(sys.executable).parent / "bounceback"


def _bounceback(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "BOUNCEBACK_SECRET")}
    return subprocess.run(  # noqa: S603 - the venv's own console script, no shell
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_check_from_an_empty_folder_uses_the_shipped_library(tmp_path: Path) -> None:
    result = _bounceback("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "does not exist" not in result.stderr
    assert "the library shipped with Bounceback" in result.stdout
    assert f"in {shipped_content()}" in result.stdout


def test_content_directory_replaces_the_shipped_library_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "my-content"
    own.mkdir()
    (own / "messages.yaml").write_text((shipped_content() / "messages.yaml").read_text())
    config = tmp_path / "config.yaml"
    config.write_text("content:\n  directory: my-content\n")
    assert main(["check", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert f"content: {own}\n" in captured.out
    assert f"{own / 'topics.yaml'}:1:1: file is missing" in captured.err


def test_content_copy_starts_an_editable_library_that_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "lib"
    assert main(["content", "copy", str(own)]) == 0
    assert f"directory: {own.resolve()}" in capsys.readouterr().out
    config = tmp_path / "config.yaml"
    config.write_text(f"content:\n  directory: {own.as_posix()}\n")
    assert main(["check", "--config", str(config)]) == 0
    assert f"in {own}" in capsys.readouterr().out


def test_content_copy_never_overwrites_an_edited_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "lib"
    own.mkdir()
    (own / "topics.yaml").write_text("# my edits\n")
    assert main(["content", "copy", str(own)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (own / "topics.yaml").read_text() == "# my edits\n"
