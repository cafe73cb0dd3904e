"""Moderator tip UI text: export file names and list previews."""

from __future__ import annotations

import pytest

from bot.ui.tip_admin import export_filename, preview


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Job Hunters Club", "tips-job-hunters-club.yaml"),
        ("Búsqueda de Empleo 2026!", "tips-busqueda-de-empleo-2026.yaml"),
        ("../../etc/passwd", "tips-etc-passwd.yaml"),
        ("✨ 🌱 ✨", "tips-42.yaml"),
        ("求职互助", "tips-42.yaml"),
        ("", "tips-42.yaml"),
    ],
)
def test_export_file_is_named_after_the_server(name: str, expected: str) -> None:
    assert export_filename(name, 42) == expected


def test_a_long_server_name_makes_a_short_file_name() -> None:
    name = export_filename("The " + "very " * 40 + "long server", 42)
    assert len(name) <= len("tips-.yaml") + 60
    assert not name.removesuffix(".yaml").endswith("-")


def test_preview_keeps_short_text_whole_and_cuts_long_text_between_words() -> None:
    assert preview("Rest   is\npart of it.", 70) == "Rest is part of it."
    shortened = preview("Write down three things you did for your search this week, however small.")
    assert shortened == "Write down three things you did for your search this week, however…"
    assert len(shortened) <= 70


def test_preview_of_one_endless_word_still_fits() -> None:
    assert preview("a" * 100, 10) == "a" * 9 + "…"
