"""Every localized command, option and choice name in the shipped languages is one Discord accepts.

Discord refuses the whole command sync for one bad name, so this is checked on the files
themselves, against the loader's rule and, independently, the sandbox's copy of Discord's.
"""

from __future__ import annotations

import pytest

from bot.content.loader import load_library
from bot.content.translation_schema import command_name_problem
from discord_sandbox.localizations import valid_name
from tests.conftest import REPO

LIBRARY = load_library(REPO / "content")


@pytest.mark.parametrize("code", sorted(LIBRARY.translations))
def test_every_name_and_description_fits_discords_rules(code: str) -> None:
    commands = LIBRARY.translations[code].commands
    assert commands, f"{code} has no commands.yaml"
    names, texts = [], []
    for english, entry in commands.items():
        names.append((english, entry.name))
        texts.append((english, entry.description))
        for option_name, option in entry.options.items():
            names.append((f"{english} {option_name}", option.name))
            texts.append((f"{english} {option_name}", option.description))
            texts.extend((f"{english} {option_name}={v}", s) for v, s in option.choices.items())
    for where, name in names:
        assert command_name_problem(name) is None, (where, name)
        assert valid_name(name), (where, name)  # the sandbox's own reading of the rule
        assert name == name.lower(), (where, name)
        assert 1 <= len(name) <= 32, (where, name)
    for where, text in texts:
        assert 1 <= len(text) <= 100, (where, text)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("consejo", True),
        ("vista-previa", True),
        ("estadísticas", True),  # any script's letters
        ("rejeição", True),
        ("mis_datos", True),
        ("Consejo", False),
        ("mis datos", False),
        ("x" * 33, False),
        ("", False),
        ("¿ayuda?", False),
    ],
)
def test_the_name_rule_matches_discords(name: str, ok: bool) -> None:
    assert (command_name_problem(name) is None) is ok
    assert valid_name(name) is ok
