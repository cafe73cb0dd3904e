"""Language folders: a new folder is a new language, every mistake is named at its file and line.

These tests write a small French folder into a copy of the content (the shipped
es-ES and pt-BR folders are left out, so the tests do not depend on them).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.cli import check_languages
from bot.content.commands import Registered
from bot.content.coverage import coverage
from bot.content.loader import load_library
from bot.content.source import SourceErrors
from bot.content.speaking import speaking
from bot.content.support_loader import load_support
from bot.exts import registered_commands
from tests.conftest import REPO

TODAY = date(2026, 11, 27)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target, ignore=shutil.ignore_patterns("locales"))
    french = target / "locales" / "fr"
    (french / "tips").mkdir(parents=True)
    (french / "locale.yaml").write_text("name: Français\ncomplete: false\n", encoding="utf-8")
    (french / "messages.yaml").write_text(
        "forget_done:\n"
        "  count: count\n"
        '  one: "C\'est fait. {count} donnée vous concernant a été supprimée."\n'
        '  other: "C\'est fait. {count} données vous concernant ont été supprimées."\n'
        "button_next_tip: Un autre conseil\n",
        encoding="utf-8",
    )
    (french / "topics.yaml").write_text(
        "resilience:\n  name: Résilience\n  description: Se relever à son rythme.\n",
        encoding="utf-8",
    )
    (french / "tips" / "resilience.yaml").write_text(
        "resilience-01:\n  text: Se remettre d'un non peut prendre du temps.\n"
        "  reflect: Quelle petite chose pouvez-vous faire aujourd'hui ?\n",
        encoding="utf-8",
    )
    return target


def _errors(content: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_library(content)
    return [str(e) for e in caught.value.errors]


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_new_folder_is_a_new_language_with_english_per_missing_message(content: Path) -> None:
    library = load_library(content)
    french = library.voice("fr")
    assert french.pick("forget_done", count=1).endswith("1 donnée vous concernant a été supprimée.")
    assert french.pick("forget_done", count=2).startswith("C'est fait. 2 données")
    assert french.button_next_tip == "Un autre conseil"
    assert french.button_helped == "This helped"  # not translated: the whole message in English
    tip = library.tips["resilience-01"]
    assert library.tip_text(tip, "fr").text.startswith("Se remettre")
    assert library.topic_text(library.topics["resilience"], "fr").name == "Résilience"


def test_the_language_spoken_picks_the_wording(content: Path) -> None:
    library = load_library(content)
    with speaking("fr"):
        assert library.messages.button_next_tip == "Un autre conseil"
    with speaking("de"):
        assert library.messages.button_next_tip == "Another tip"
    assert library.messages.button_next_tip == "Another tip"


def test_fallback_is_exact_then_same_language_then_english(content: Path) -> None:
    shutil.copytree(content / "locales" / "fr", content / "locales" / "es-ES")
    _write(content / "locales" / "es-ES" / "messages.yaml", "button_next_tip: Otro consejo\n")
    library = load_library(content)
    assert library.voice("es-419").button_next_tip == "Otro consejo"
    assert library.voice("es-ES").button_next_tip == "Otro consejo"
    assert library.voice("fr").button_next_tip == "Un autre conseil"
    assert library.voice("ja").button_next_tip == "Another tip"


@pytest.mark.parametrize(
    ("file", "text", "line", "problem"),
    [
        (
            "messages.yaml",
            'tips_row_helped:\n  count: count\n  one: "{cuont} fois"\n  other: "{count} fois"\n',
            3,
            "key 'tips_row_helped.one' uses {cuont}, which the bot cannot fill",
        ),
        (
            "messages.yaml",
            'tips_row_helped:\n  count: count\n  two: "{count} fois"\n  other: "{count} fois"\n',
            2,
            "key 'tips_row_helped' has form 'two', which fr does not use (many, one, other)",
        ),
        ("messages.yaml", "button_nxt_tip: Suivant\n", 1, "unknown key 'button_nxt_tip'"),
        ("messages.yaml", "rejection_milestone_every: 7\n", 1, "is a setting"),
        ("topics.yaml", "resilence:\n  name: R\n  description: D\n", 1, "unknown topic"),
        ("tips/x.yaml", "resilience-99:\n  text: Non.\n", 1, "unknown tip 'resilience-99'"),
        (
            "commands.yaml",
            "tip:\n  name: Un Conseil\n  description: Un conseil\n",
            2,
            "key 'tip.name' may hold only letters, digits, - and _",
        ),
        (
            "commands.yaml",
            "tip:\n  name: conseil\n  description: ''\n",
            3,
            "must not be empty",
        ),
    ],
)
def test_each_mistake_is_named_at_its_file_and_line(
    content: Path, file: str, text: str, line: int, problem: str
) -> None:
    path = content / "locales" / "fr" / file
    _write(path, text)
    errors = _errors(content)
    assert any(e.startswith(f"{path}:{line}:") and problem in e for e in errors), errors


def test_a_folder_that_is_not_a_discord_locale_is_refused(content: Path) -> None:
    shutil.copytree(content / "locales" / "fr", content / "locales" / "fr-FR")
    (error,) = _errors(content)
    assert "'fr-FR' is not a Discord locale code" in error


def test_coverage_counts_strings_and_tips_and_a_complete_promise_is_checked(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = load_library(content)
    support, _ = load_support(content, TODAY)
    (french,) = coverage(library, support)
    assert (french.strings, french.tips, french.tips_total) == (3, 1, len(library.tips))
    assert "messages.yaml button_helped" in french.missing
    assert check_languages(library, support) == 0  # complete: false promises nothing
    _write(content / "locales" / "fr" / "locale.yaml", "name: Français\ncomplete: true\n")
    library = load_library(content)
    assert check_languages(library, support) == 1
    out = capsys.readouterr()
    assert f"fr: 1% of {french.strings_total} strings, 1 of {len(library.tips)} tips" in out.out
    assert "fr: locale.yaml says complete: true, but missing:" in out.err


def test_a_grounding_exercise_keeps_its_number_of_steps(content: Path) -> None:
    support, _ = load_support(content, TODAY)
    exercise = support.grounding[0]
    _write(
        content / "locales" / "fr" / "support.yaml",
        f"grounding:\n  {exercise.id}:\n    name: Respirer\n    steps: [Inspirez.]\n"
        "regions:\n  ZZ: {name: Nulle part}\n",
    )
    with pytest.raises(SourceErrors) as caught:
        load_support(content, TODAY)
    errors = " | ".join(str(e) for e in caught.value.errors)
    assert f"exercise '{exercise.id}' has 1 steps; the English has {len(exercise.steps)}" in errors
    assert "unknown region 'ZZ'" in errors


def _picker_file(commands: Registered, leave_out: str) -> dict[str, object]:
    """Write a commands.yaml naming every registered entry but one choice (`cmd:option=value`)."""
    left_command, rest = leave_out.split(":")
    left_option, left_choice = rest.split("=")
    entries: dict[str, object] = {}
    for command in commands:
        options = {
            option.name: {
                "name": f"{option.name}-fr",
                "description": "Une option",
                "choices": {
                    value: value.title()
                    for value in option.choices
                    if (command.qualified_name, option.name, value)
                    != (left_command, left_option, left_choice)
                },
            }
            for option in command.options
        }
        name = command.qualified_name.split()[-1]
        entries[command.qualified_name] = {
            "name": f"{name}-fr",
            "description": "Une commande",
            "options": options,
        }
    return entries


def test_a_complete_language_names_every_command_option_and_choice(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = registered_commands()
    french = content / "locales" / "fr"
    picker = _picker_file(commands, leave_out="rejection log:stage=other")
    _write(french / "commands.yaml", yaml.safe_dump(picker, allow_unicode=True))
    _write(french / "locale.yaml", "name: Français\ncomplete: true\n")
    library = load_library(content, commands)
    support, _ = load_support(content, TODAY, commands)
    (found,) = coverage(library, support)
    missing_picker = [m for m in found.missing if m.startswith("commands.yaml")]
    assert missing_picker == ["commands.yaml rejection log:stage=other"]
    named = sum(1 + sum(1 + len(o.choices) for o in c.options) for c in commands)
    assert found.strings == 3 + named - 1
    assert check_languages(library, support) == 1
    assert "commands.yaml rejection log:stage=other" in capsys.readouterr().err
    # Without the choice, the same folder's picker is whole (messages aside).
    picker = _picker_file(commands, leave_out="no:such=entry")
    _write(french / "commands.yaml", yaml.safe_dump(picker, allow_unicode=True))
    (found,) = coverage(load_library(content, commands), support)
    assert not [m for m in found.missing if m.startswith("commands.yaml")]
