"""A language's text names commands as that member's picker shows them (`/consejo`, not `/tip`).

The rewrite runs once per content load over each language's wording; these
tests hold its edges: whole qualified names, longest first, registered commands
only, and never inside a word, a web address or a code span.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import fields
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
from bot.content.translation_schema import CommandText, OptionText
from bot.exts import registered_commands
from tests.conftest import REPO

REGISTERED = (
    RegisteredCommand("tip", (RegisteredOption("topic"),)),
    RegisteredCommand("tips"),
    RegisteredCommand("tips restore"),
    RegisteredCommand("tips list"),
    RegisteredCommand("tips add", (RegisteredOption("topic"),)),
    RegisteredCommand("goal set", (RegisteredOption("text"), RegisteredOption("private"))),
    RegisteredCommand("break start", (RegisteredOption("days"),)),
    RegisteredCommand("support"),
    RegisteredCommand("setup"),
    RegisteredCommand("setup language"),
)
SPANISH = {
    "tip": CommandText("consejo", "Un consejo", {"topic": OptionText("tema", "Tema")}),
    "tips": CommandText("consejos", "Moderación"),
    "tips add": CommandText("añadir", "Añade", {"topic": OptionText("asunto", "Asunto")}),
    "goal set": CommandText(
        "nueva",
        "Meta",
        {"text": OptionText("texto", "Texto"), "private": OptionText("privada", "Solo tú")},
    ),
    "break start": CommandText("empezar", "Pausa", {"days": OptionText("días", "Días")}),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/goal set text:Llamar private:true", "/goal nueva texto:Llamar privada:true"),
        ("Añade private:true para guardártela.", "Añade privada:true para guardártela."),
        ("/break start days:3 y descansa", "/break empezar días:3 y descansa"),
        # the same option in two commands: the one named before it decides
        (
            "/tip topic:sueño o /tips add topic:sueño",
            "/consejo tema:sueño o /consejos añadir asunto:sueño",
        ),
    ],
)
def test_an_option_with_its_value_takes_the_languages_name(text: str, expected: str) -> None:
    assert NAMES.rewrite(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "topic:sueño sin un comando antes: tema o asunto, no se sabe",
        "Text: una etiqueta, private: con espacio, days:",
        "privateer:true no es una opción; https://example.org/private:true tampoco",
        "Escribe `private:true` tal cual",
    ],
)
def test_option_like_words_are_left_alone(text: str) -> None:
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


def test_an_english_message_the_language_lacks_names_the_option_as_the_picker(
    content: Path,
) -> None:
    commands = content / "locales" / "es-ES" / "commands.yaml"
    commands.write_text(
        commands.read_text(encoding="utf-8")
        + "goal set:\n  name: nueva\n  description: Una meta\n"
        + "  options:\n    private:\n      name: privada\n      description: Solo tú\n",
        encoding="utf-8",
    )
    library = load_library(content, registered_commands())
    (howto,) = library.voice("es-ES").accountability_howto
    assert "/goal nueva adds a goal (add privada:true to keep it to yourself)" in howto
    assert "(add private:true" in library.english.accountability_howto[0]


def _option_mentions(code: str) -> Iterator[str]:
    """Yield `where: text` for each English option name a shipped language still writes."""
    library = load_library(REPO / "content", registered_commands())
    support, _ = load_support(REPO / "content", date(2026, 11, 27), registered_commands())
    translation = library.translations[code]
    renamed = {
        option.name
        for command in registered_commands()
        for option in command.options
        if (entry := translation.commands.get(command.qualified_name))
        and option.name in entry.options
        and entry.options[option.name].name != option.name
    }
    english = re.compile(r"(?<![-\w/.:<])(" + "|".join(sorted(renamed)) + r"):(?=[^\s:/])")
    voices = [library.voice(code), support.in_language(code).messages]
    texts = [
        (f"{type(v).__name__}.{f.name}", t)
        for v in voices
        for f in fields(v)
        if not f.metadata.get("internal")
        for t in _all_texts(getattr(v, f.name))
    ]
    texts += [(f"tip {k}", f"{t.text} {t.reflect or ''}") for k, t in translation.tips.items()]
    for where, text in texts:
        if english.search(text):
            yield f"{where}: {text}"


def _all_texts(value: object) -> tuple[str, ...]:
    if isinstance(value, Plural):
        return value.texts()
    if isinstance(value, tuple):
        return tuple(v for v in value if isinstance(v, str))
    return (value,) if isinstance(value, str) else ()


@pytest.mark.parametrize("code", ["es-ES", "pt-BR"])
def test_no_shipped_language_writes_an_english_option_name(code: str) -> None:
    assert list(_option_mentions(code)) == []
