"""A language's text names commands as that member's picker shows them (`/consejo`, not `/tip`).

The rewrite runs once per content load over each language's wording; these
tests hold its edges: whole qualified names, longest first, registered commands
only, and never inside a word, a web address or a code span.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.content.commands import (
    CommandReferences,
    RegisteredCommand,
    RegisteredOption,
    rewrite_texts,
)
from bot.content.loader import load_library
from bot.content.plurals import Plural
from bot.content.schema import TipText
from bot.content.store import ContentStore
from bot.content.support_loader import load_support
from bot.content.translation_schema import CommandText
from bot.exts import registered_commands
from tests.conftest import REPO

REGISTERED = (
    RegisteredCommand("tip", (RegisteredOption("topic"),)),
    RegisteredCommand("tips"),
    RegisteredCommand("tips restore"),
    RegisteredCommand("tips list"),
    RegisteredCommand("support"),
    RegisteredCommand("setup"),
    RegisteredCommand("setup language"),
)
SPANISH = {
    "tip": CommandText("consejo", "Un consejo"),
    "tips": CommandText("consejos", "Moderación"),
    "tips restore": CommandText("restaurar", "Recupera un consejo"),
    "support": CommandText("apoyo", "Apoyo"),
    "setup": CommandText("configurar", "Ajustes"),
    "fuera": CommandText("nada", "Ninguno"),  # not registered: never rewritten
}
NAMES = CommandReferences.for_language(REGISTERED, SPANISH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/tips restore lo recupera.", "/consejos restaurar lo recupera."),
        ("Usa /tip para el tuyo.", "Usa /consejo para el tuyo."),
        ("Mira /tips, no /tip.", "Mira /consejos, no /consejo."),
        ("(/support)", "(/apoyo)"),
        ("/tip\n/support", "/consejo\n/apoyo"),
        # a subcommand without its own entry keeps its English segment, as the picker does
        ("/tips list y /setup language", "/consejos list y /configurar language"),
    ],
)
def test_each_command_becomes_the_name_the_picker_shows(text: str, expected: str) -> None:
    assert NAMES.rewrite(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "/tipo y /tipster no son comandos",  # /tip only as a whole name
        "/fuera no está registrado",
        "Más en https://example.org/tip y www.example.org/support.",
        "Ver example.org/tip o content/tips/x.yaml",
        "Escribe `/tip topic:sueño` tal cual",  # a code span with more than a command
        "Un enlace </tip:1234> lo traduce Discord",
        "a/tip y 1/tip",
    ],
)
def test_words_addresses_and_code_are_left_alone(text: str) -> None:
    assert NAMES.rewrite(text) == text


def test_a_code_span_holding_just_a_command_names_it() -> None:
    assert NAMES.rewrite("`/support` te ayuda") == "`/apoyo` te ayuda"


def test_a_language_without_commands_changes_nothing() -> None:
    names = CommandReferences.for_language(REGISTERED, {})
    assert not names
    assert names.rewrite("/tip") == "/tip"


def test_variants_and_plural_forms_are_all_rewritten() -> None:
    plural = Plural(count="n", one=("{n} con /tip",), other=("{n} con /tips",))
    rewritten = rewrite_texts(plural, NAMES.rewrite)
    assert rewritten.one == ("{n} con /consejo",)
    assert rewritten.other == ("{n} con /consejos",)
    assert rewritten.count == "n"
    tip = TipText("Prueba /tip hoy.", reflect=None)
    assert rewrite_texts(tip, NAMES.rewrite) == TipText("Prueba /consejo hoy.", reflect=None)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target, ignore=shutil.ignore_patterns("locales"))
    spanish = target / "locales" / "es-ES"
    spanish.mkdir(parents=True)
    (spanish / "locale.yaml").write_text("name: Español\n", encoding="utf-8")
    (spanish / "messages.yaml").write_text(
        "tip_not_yours: Estos botones son de otra persona. Usa /tip para el tuyo.\n",
        encoding="utf-8",
    )
    (spanish / "commands.yaml").write_text(
        "tip:\n  name: consejo\n  description: Un consejo breve\n"
        "support:\n  name: apoyo\n  description: Apoyo\n",
        encoding="utf-8",
    )
    return target


def test_the_loaded_language_says_its_own_command_names(content: Path) -> None:
    library = load_library(content, registered_commands())
    spanish = library.voice("es-ES")
    assert spanish.tip_not_yours == (
        "Estos botones son de otra persona. Usa /consejo para el tuyo.",
    )
    # An English message the language lacks names the command its picker shows, too.
    assert all(text.endswith("from /consejo now.") for text in spanish.tips_added)
    assert all(text.endswith("from /tip now.") for text in library.english.tips_added)
    # Loaded without the registered tree (as some tools do), nothing is renamed.
    assert "/tip " in load_library(content).voice("es-ES").tip_not_yours[0]


def test_the_support_wording_says_the_languages_command_names_too(content: Path) -> None:
    support, _ = load_support(content, date(2026, 11, 27), registered_commands())
    spanish = support.in_language("es-ES").messages
    assert all("/apoyo" in text and "/support" not in text for text in spanish.not_yours)
    assert all("/support" in text for text in support.messages.not_yours)


async def test_a_reload_keeps_naming_the_languages_commands(content: Path) -> None:
    store = ContentStore.open(content, registered_commands())
    messages = content / "locales" / "es-ES" / "messages.yaml"
    messages.write_text("tip_not_yours: Usa /tip, que es tuyo.\n", encoding="utf-8")
    result = await store.reload()
    assert result.ok, result.errors
    assert store.library.voice("es-ES").tip_not_yours == ("Usa /consejo, que es tuyo.",)
