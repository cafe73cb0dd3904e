"""Plural forms: "1 record", never "1 record(s)"; a broken form is refused at its own line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.content.loader import load_library
from bot.content.source import SourceErrors
from tests.conftest import REPO


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target, ignore=shutil.ignore_patterns("locales"))
    return target


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("forget_done", "Done. 1 record about you was deleted.", "Done. 3 records about"),
        ("goal_carried", "Carried 1 unfinished goal into", "Carried 3 unfinished goals into"),
        ("tips_export_ready", "1 tip, ready", "3 tips, ready"),
        ("content_reload_failed", "has 1 problem, so", "has 3 problems, so"),
        ("celebration_courage", "And 1 application that", "And 3 applications that"),
    ],
)
def test_english_counts_read_naturally(key: str, one: str, many: str) -> None:
    words = load_library(REPO / "content").messages
    assert one in words.pick(key, count=1)
    assert many in words.pick(key, count=3)


def test_the_streak_is_singular_for_one_week() -> None:
    words = load_library(REPO / "content").messages
    assert "**1** week in a row" in words.pick("rejection_streak", streak=1)
    assert "**4** weeks in a row" in words.pick("rejection_streak", streak=4)


def test_no_shipped_english_message_writes_a_plural_in_brackets() -> None:
    text = (REPO / "content" / "messages.yaml").read_text(encoding="utf-8")
    assert "(s)" not in text


def test_a_placeholder_typo_in_one_form_is_refused_at_its_line(content: Path) -> None:
    messages = content / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    old = 'one: "Done. {count} record about you was deleted."'
    line = text[: text.index(old)].count("\n") + 1
    messages.write_text(text.replace(old, old.replace("{count}", "{cuont}")), encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_library(content)
    (error,) = (str(e) for e in caught.value.errors)
    assert error.startswith(f"{messages}:{line}:")
    assert "key 'forget_done.one' uses {cuont}, which the bot cannot fill" in error


def test_a_plural_without_other_or_with_the_wrong_count_is_refused(content: Path) -> None:
    messages = content / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    text = text.replace('  other: "Done. {count} records about you were deleted."\n', "")
    text = text.replace("count: streak", "count: weeks")
    messages.write_text(text, encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_library(content)
    errors = " | ".join(str(e) for e in caught.value.errors)
    assert "missing key 'forget_done.other'" in errors
    assert "key 'rejection_streak' must say `count: streak`" in errors


def test_days_and_weekdays_follow_the_language() -> None:
    words = load_library(REPO / "content").messages
    assert words.weekday("friday") == "Friday"
    assert words.day(date(2026, 11, 30)) == "Monday, November 30"
    assert words.day(date(2026, 11, 23), short=True) == "Nov 23"
