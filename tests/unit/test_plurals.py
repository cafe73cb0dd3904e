"""Plural forms: "1 record", never "1 record(s)"; a broken form is refused at its own line."""

from __future__ import annotations

import shutil
from dataclasses import replace
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


def test_spanish_and_portuguese_weekdays_are_lowercase_inside_a_sentence() -> None:
    library = load_library(REPO / "content")
    spanish, portuguese = library.voice("es-ES"), library.voice("pt-BR")
    assert spanish.weekday("friday") == "viernes"
    assert portuguese.weekday("monday") == "segunda-feira"
    saved = spanish.pick(
        "setup_celebrations_saved",
        channel="#wins",
        weekday=spanish.weekday("friday"),
        time="17:00",
        timezone="Europe/Madrid",
    )
    assert "viernes" in saved
    assert "Viernes" not in saved
    resting = portuguese.pick("break_until", until=portuguese.day(date(2026, 12, 4)))
    assert resting == "Você está em pausa até sexta-feira, 4 de dezembro."
    assert spanish.day(date(2026, 11, 30)) == "lunes, 30 de noviembre"


def test_a_weekday_that_starts_a_sentence_takes_a_capital() -> None:
    spanish = load_library(REPO / "content").voice("es-ES")
    rule = "{weekday}: publicación semanal. {weekday} otra vez, y el {weekday} después."
    words = replace(spanish, setup_schedule_rule=(rule,))
    shown = words.pick("setup_schedule_rule", weekday=spanish.weekday("sunday"))
    assert shown == "Domingo: publicación semanal. Domingo otra vez, y el domingo después."


def test_a_member_name_that_starts_a_sentence_keeps_its_own_case() -> None:
    words = load_library(REPO / "content").messages
    text = replace(words, setup_schedule_rule=("{weekday} at {time} ({timezone})",))
    shown = text.pick("setup_schedule_rule", weekday="lowercase", time="9:00", timezone="UTC")
    assert shown.startswith("lowercase at")


@pytest.mark.parametrize("code", ["en-US", "en-GB", "es-ES", "es-419", "pt-BR", "fr", "de"])
def test_every_language_still_formats_after_the_unshown_tables_are_dropped(code: str) -> None:
    """Dropping CLDR's name tables saves memory; no number, day or plural may need them."""
    from babel import localedata

    from bot.content.plurals import (
        UNSHOWN_TABLES,
        WEEKDAYS,
        cldr_locale,
        format_day,
        format_number,
        plural_categories,
        plural_category,
        weekday_name,
    )

    locale = cldr_locale(code)
    assert not UNSHOWN_TABLES & localedata.load(str(locale)).keys()
    assert plural_categories(code) >= {"other"}
    assert all(plural_category(n, code) in plural_categories(code) for n in (0, 1, 2, 5, 21))
    assert format_number(1234567, code).replace("\u202f", " ")[-3:] == "567"
    assert len({weekday_name(day, code) for day in WEEKDAYS} - {""}) == 7
    for month in range(1, 13):
        assert "28" in format_day(date(2026, month, 28), code)
        assert "28" in format_day(date(2026, month, 28), code, short=True)


def test_babels_global_tables_are_let_go_once_a_language_is_loaded() -> None:
    """They are 2 MiB a running bot held for nothing; a new language still parses after."""
    import babel.core

    from bot.content.plurals import cldr_locale, format_day, plural_category

    cldr_locale("en-US")
    assert babel.core._global_data is None
    babel.core.get_global("likely_subtags")  # something else in the process reads them again
    cldr_locale.cache_clear()
    assert str(cldr_locale("pt-PT")) == "pt_PT"  # parsing a language reads them itself
    assert babel.core._global_data is None
    assert plural_category(1, "pt-PT") == "one"
    assert format_day(date(2026, 12, 4), "pt-PT") == "sexta-feira, 4 de dezembro"
