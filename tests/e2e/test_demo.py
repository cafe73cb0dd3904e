"""`bounceback demo` runs the real bot offline and prints a readable walkthrough."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pytest
import yaml

from bot.content.loader import load_library
from tests.conftest import REPO
from tests.e2e.conftest import Bot

SUBCOMMAND, GROUP = 1, 2  # Discord's option types that hold commands rather than values


@pytest.fixture(scope="module")
def demo() -> subprocess.CompletedProcess[str]:
    """One run of `bounceback demo`, shared by the tests that read its transcript."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_demo_runs_every_command_and_exits_0(demo: subprocess.CompletedProcess[str]) -> None:
    result = demo
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
    # Bruno's Discord is in Spanish: refusals, buttons and receipts answer him in Spanish.
    spanish = load_library(REPO / "content").voice("es-ES")
    assert any(refusal.split(".")[0] in out for refusal in spanish.not_moderator)
    assert f"Bruno presses [{spanish.button_forget}]" in out
    assert spanish.pick("forget_done", count=3) in out
    assert "**Number 5." in out  # the milestone variant the demo's seed picks
    assert "This week so far: **7** from 4 members" in out
    assert "In #wins:\nBounceback posts:\n  │ **This week's small wins**" in out
    assert "• Sent the application I had been putting off for a week — @Alice" in out
    assert "Alice presses [Ground me]" in out
    assert "Bounceback opens a form for Alice: “My plan”" in out
    assert "not a crisis service" in out
    assert "Alice is aiming for: Send 5 applications" in out
    assert "This week, 2 people set goals: 3 in all, 1 finished." in out
    assert "Traceback" not in result.stderr


def _typed(commands: Iterable[Mapping[str, Any]], prefix: str = "") -> Iterator[str]:
    """Yield every leaf command as a member types it (`rejection log`), from Discord's JSON."""
    for command in commands:
        name = f"{prefix}{command['name']}"
        nested = [o for o in command.get("options", []) if o["type"] in (SUBCOMMAND, GROUP)]
        if nested:
            yield from _typed(nested, f"{name} ")
        else:
            yield name


async def test_the_demo_types_every_slash_command_the_bot_registers(
    demo: subprocess.CompletedProcess[str], bot: Bot
) -> None:
    assert demo.returncode == 0, demo.stderr
    registered = sorted(_typed(bot.sb.global_commands))
    assert {"rejection log", "tips add", "setup show", "break status"} <= set(registered)
    missing = [
        name
        for name in registered
        if not re.search(rf"^\S+ in #[\w-]+: /{re.escape(name)}(?: |$)", demo.stdout, re.M)
    ]
    assert not missing, f"the demo never types: {missing}"


def _reply_after(out: str, marker: str) -> str:
    """Return the transcript from `marker` to the next blank line, on one line."""
    start = out.index(marker)
    end = out.find("\n\n", start)
    return " ".join(out[start : end if end != -1 else None].replace("│", "").split())


def test_the_demo_reads_as_a_member_would(demo: subprocess.CompletedProcess[str]) -> None:
    out = demo.stdout
    assert demo.returncode == 0, demo.stderr
    messages = yaml.safe_load((REPO / "content" / "messages.yaml").read_text(encoding="utf-8"))
    interview = _reply_after(out, ": /rejection log stage:interview")
    assert any(ack in interview for ack in messages["rejection_ack_interview"]), interview
    assert "application" not in interview.split("This week:")[0].lower()
    assert "📎 tips-job-search-circle.yaml" in out
    listing = _reply_after(out, "Mo in #general: /tips list")
    assert "this week, however… `small-wins-02`" in listing
    assert "however sm…" not in listing
    assert "in a few days" not in out
    assert "Next: Sunday 20 December 2026, 08:00 UTC (in 7 days)" in out
    assert "Next: Monday 14 December 2026, 08:00 UTC (in 1 day)" in out


def test_the_demo_runs_what_the_member_typed(demo: subprocess.CompletedProcess[str]) -> None:
    out = demo.stdout
    picked = re.search(r"Alice types /tip topic:\S+…\n.*\nAlice picks “(.+)”\n", out)
    assert picked, "the member picks one of Discord's suggestions"
    tip = _reply_after(out[picked.end() :], "Alice in #general: /tip topic:")
    assert f" {picked[1]}**" in tip.split("Something to sit with")[0], tip
    assert "  Tip: Write down one thing you did this week" in out
    assert "  Question to sit with (optional): (left empty)" in out
    assert "  My warning signs: I stop replying" in out
