"""`bounceback check` on configs people really write: a clear file:line line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _check(tmp_path: Path, extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.yaml"
    content = (REPO / "content").as_posix()
    path.write_text(f"content:\n  directory: {content}\n{extra}", encoding="utf-8")
    return subprocess.run(  # noqa: S603 - this interpreter running the bot's own CLI, no shell
        [sys.executable, "-m", "bot", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


def test_a_timezone_folder_is_reported_with_file_and_line(tmp_path: Path) -> None:
    result = _check(tmp_path, "schedule:\n  timezone: America\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    path = tmp_path / "config.yaml"
    assert result.stderr.splitlines() == [
        f"{path}:4:13: key 'schedule.timezone' is not a known IANA timezone: 'America'"
    ]


def test_a_group_size_of_two_is_checked_with_a_warning(tmp_path: Path) -> None:
    result = _check(tmp_path, "privacy:\n  min_group_size: 2\n")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "config.yaml"
    (warning,) = [line for line in result.stderr.splitlines() if "min_group_size" in line]
    assert warning.startswith(f"{path}:4:19: key 'privacy.min_group_size' is 2")
    assert warning.endswith("(warning)")
    assert "group figures need 2+ members" in result.stdout
