"""content/support.yaml: the shipped file, each rule at its file:line, and review warnings."""

from __future__ import annotations

import contextvars
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.content.source import SourceErrors
from bot.content.speaking import speak_for_this_task
from bot.content.support_loader import SUPPORT_FILE, SupportSource, load_support
from bot.domain.locales import DISCORD_LOCALES
from bot.domain.support import INTERNATIONAL
from tests.conftest import REPO

TODAY = date(2026, 11, 30)
SHIPPED = (REPO / "content" / SUPPORT_FILE).read_text(encoding="utf-8")
REQUIRED_REGIONS = {"US", "GB", "CA", "AU", "IE", "ES", "MX", "DE", "FR", "IN", INTERNATIONAL}
EXTRA_AU_LINE = """\
      - name: Suicide Call Back Service
        reach: Call 1300 659 467
        hours: 24 hours, every day
        last_reviewed: 2026-11-01
      - name: A fourth line
        reach: Call 000 000
        last_reviewed: 2026-11-01
"""

# The steps of the last exercise, from `steps:` to its final step.
FEET_STEPS = SHIPPED[
    SHIPPED.index("    steps:\n      - Press your feet") : SHIPPED.index("back to the room.\n") + 18
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    target.mkdir()
    return target


def _write(content: Path, text: str) -> str:
    path = content / SUPPORT_FILE
    path.write_text(text, encoding="utf-8")
    return str(path)


def _edited(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


def _line_of(text: str, marker: str, nth: int = 0) -> int:
    """1-based number of the `nth` line containing `marker`."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if marker in line][nth]


def _errors(content: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_support(content, TODAY)
    return [str(e) for e in caught.value.errors]


def test_the_shipped_file_is_valid_complete_and_freshly_reviewed() -> None:
    support, warnings = load_support(REPO / "content", TODAY)
    assert warnings == []
    assert set(support.regions) >= REQUIRED_REGIONS
    assert len(support.grounding) >= 2
    assert {"paced-breathing", "five-senses"} <= {e.id for e in support.grounding}
    assert all(4 <= len(e.steps) <= 6 for e in support.grounding)
    for region in support.regions.values():
        assert 1 <= len(region.lines) <= 3
        assert all(line.reach.strip() and line.reviewed_on <= TODAY for line in region.lines)
    assert set(support.locales) <= DISCORD_LOCALES
    assert set(support.locales.values()) <= set(support.regions)
    assert "findahelpline.com" in support.regions[INTERNATIONAL].lines[0].reach
    for text in support.messages.disclaimer + support.messages.disclaimer_with_number:
        assert "not a crisis service" in text
        assert "In an emergency call your local emergency number" in text


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "reach: Text HOME to 741741",
            'reach: "  "',
            'reach: "  "',
            "key 'regions.US.lines[1].reach' must say how to reach this line",
        ),
        (
            "reach: Text HOME to 741741\n        ",
            "",
            "name: Crisis Text Line",
            "missing key 'regions.US.lines[1].reach'",
        ),
        (
            "last_reviewed: 2026-11-01",
            "last_reviewed: 01/11/2026",
            "01/11/2026",
            "must be a date written as YYYY-MM-DD, got '01/11/2026'",
        ),
        (
            "last_reviewed: 2026-11-01",
            "last_reviewed: 2026-02-30",
            "2026-02-30",
            "must be a date written as YYYY-MM-DD, got '2026-02-30'",
        ),
        (
            "  international:\n",
            "  XX:\n",
            "regions:",
            "regions need an 'international' entry",
        ),
        ("  NZ:\n", "  nz:\n", "  nz:", "region 'nz' must be a two-letter country code"),
        ("  nl: NL", "  nl: ZZ", "  nl: ZZ", "locale 'nl' points at unknown region 'ZZ'"),
        (
            "  nl: NL",
            "  xx-YY: NL",
            "en-US: US",
            "key 'locales' has unknown locale code 'xx-YY'",
        ),
        (
            EXTRA_AU_LINE.split("      - name: A fourth")[0],
            EXTRA_AU_LINE,
            "- name: Lifeline",
            "lists 4 lines; at most 3 are shown",
        ),
        (
            "    lines:\n      - name: Tele-MANAS",
            "    lines: []\n    old:\n      - name: Tele-MANAS",
            "lines: []",
            "key 'regions.IN.lines' must list at least one crisis line",
        ),
        (
            FEET_STEPS,
            "    steps: [Press your feet into the floor.]\n",
            "steps: [Press",
            "key 'grounding[2].steps' needs between 2 and 8 steps, got 1",
        ),
        (
            "  - id: feet-on-the-ground",
            "  - id: five-senses",
            "id: five-senses#1",
            "duplicate exercise id 'five-senses' (first at line",
        ),
        (
            "{step} of {total}. There's",
            "{steps} of {total}. There's",
            "ground_progress:",
            "uses {steps}, which the bot cannot fill (it can use {step}, {total})",
        ),
        (
            "plan_people: People I can reach",
            "plan_people: " + "P" * 46,
            "plan_people: PPP",
            "key 'messages.plan_people' is 46 characters long; the limit is 45",
        ),
        (
            "  button_back: Back\n",
            "",
            "home_title:",
            "missing key 'messages.button_back'",
        ),
        (
            "  button_done: Done",
            "  button_done: [Done",
            "button_another:",
            "malformed YAML",
        ),
    ],
)
def test_each_rule_points_at_the_right_line(
    content: Path, old: str, new: str, marker: str, message: str
) -> None:
    text = _edited(old, new)
    marker, _, nth = marker.partition("#")
    line = _line_of(text, marker, int(nth or 0))
    file = _write(content, text)
    errors = _errors(content)
    assert any(e.startswith(f"{file}:{line}:") and message in e for e in errors), errors


def test_a_missing_file_is_an_error(content: Path) -> None:
    assert _errors(content) == [f"{content / SUPPORT_FILE}:1:1: file is missing"]


def test_lines_not_reviewed_for_a_year_are_warnings_not_errors(content: Path) -> None:
    text = _edited("last_reviewed: 2026-11-01", "last_reviewed: 2025-11-29")
    file = _write(content, text)
    support, warnings = load_support(content, TODAY)
    assert support.regions["US"].lines[0].last_reviewed == "2025-11-29"
    line = _line_of(text, "- name: 988 Suicide & Crisis Lifeline")
    assert [str(w) for w in warnings] == [
        f"{file}:{line}:1: crisis line '988 Suicide & Crisis Lifeline' (US) was last reviewed "
        "on 2025-11-29, more than a year ago: check it still works, then update last_reviewed"
    ]
    _, within_a_year = load_support(content, date(2026, 11, 29))
    assert within_a_year == []


def test_every_line_warns_a_year_on_and_a_future_date_is_questioned(content: Path) -> None:
    _write(content, SHIPPED)
    support, _ = load_support(content, TODAY)
    total = sum(len(r.lines) for r in support.regions.values())
    _, stale = load_support(content, date(2027, 12, 1))
    assert len(stale) == total
    _, early = load_support(content, date(2026, 10, 1))
    assert len(early) == total
    assert "which is in the future: is the date right?" in str(early[0])


def test_a_saved_edit_goes_live_and_a_broken_one_keeps_the_last_good(content: Path) -> None:
    _write(content, SHIPPED)
    source = SupportSource.open(content, FakeClock(datetime(2026, 11, 22, tzinfo=UTC)))
    assert source.content.messages.button_ground == "Ground me"
    _write(content, _edited("button_ground: Ground me", "button_ground: Breathe with me"))
    assert source.content.messages.button_ground == "Breathe with me"
    _write(content, _edited("button_ground: Ground me", "button_ground: ''"))
    assert source.content.messages.button_ground == "Breathe with me"


def test_one_reply_reads_one_version_and_the_next_reply_reads_the_edit(content: Path) -> None:
    _write(content, SHIPPED)
    source = SupportSource.open(content, FakeClock(datetime(2026, 11, 22, tzinfo=UTC)))

    def one_reply(edit_midway: bool) -> tuple[str, str]:
        speak_for_this_task("en-GB")
        first = source.content.messages.button_ground
        if edit_midway:
            _write(content, _edited("button_ground: Ground me", "button_ground: Breathe with me"))
        return first, source.content.messages.button_ground

    assert contextvars.copy_context().run(one_reply, True) == ("Ground me", "Ground me")
    later = contextvars.copy_context().run(one_reply, False)
    assert later == ("Breathe with me", "Breathe with me")


def test_the_tip_library_ignores_support_yaml(tmp_path: Path) -> None:
    from bot.content.loader import load_library

    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target)
    (target / SUPPORT_FILE).write_text("broken: [", encoding="utf-8")
    assert load_library(target).topics
