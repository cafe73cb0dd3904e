"""`bounceback demo` runs the real bot offline and prints a readable walkthrough."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_demo_runs_every_command_and_exits_0() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for command in (
        "/help",
        "/about",
        "/tip",
        "/tips add",
        "/tips edit",
        "/tips list",
        "/tips preview",
        "/tips remove",
        "/tips restore",
        "/tips stats",
        "/tips reload",
        "/tips export",
    ):
        assert f": {command}" in out, command
    assert "(only Alice can see this)" in out
    assert "Alice presses [Another tip]" in out
    assert "Bounceback posts:\n  Someone here found this worth passing on:" in out
    assert "Bounceback opens a form for Mo: “New tip”" in out
    assert "That one is for moderators." in out
    assert "**Number 5." in out or "**5 logged." in out
    assert "This week so far: **7** from 4 members" in out
    assert re.search(r"Done\. [1-9]\d* record\(s\) about you were deleted\.", out)
    assert "In #wins:\nBounceback posts:\n  │ **This week's small wins**" in out
    assert "• Sent the application I had been putting off for a week — @Alice" in out
    assert "Alice presses [Ground me]" in out
    assert "Bounceback opens a form for Alice: “My plan”" in out
    assert "not a crisis service" in out
    assert "Alice is aiming for: Send 5 applications" in out
    assert "This week, 2 people set 3 goals and finished 1." in out
    assert "Traceback" not in result.stderr
