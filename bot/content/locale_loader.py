"""Read content/locales/<code>/ for every language folder, checked against the English.

A new language is a new folder: nothing here names one. Each folder is bound
file by file and every problem is reported with its file and line, alongside
the English files' own problems, so a broken translation keeps the last good
library live exactly as a broken English edit does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TypeVar

from bot.content.binding import bind, bind_partial, bind_value
from bot.content.commands import CommandReferences, Registered, rewrite_texts
from bot.content.messages import NOT_TRANSLATED, Messages
from bot.content.plurals import Plural, plural_categories
from bot.content.schema import Tip, TipText, Topic, TopicText
from bot.content.source import (
    MappingNode,
    Node,
    SourceError,
    SourceErrors,
    mapping_entries,
    read_yaml_nodes,
)
from bot.content.translation_schema import (
    CommandText,
    LocaleInfo,
    TipTranslation,
    TopicTranslation,
    Translation,
)
from bot.domain.locales import DISCORD_LOCALES

LOCALES_FOLDER = "locales"
T = TypeVar("T")


def locale_folders(directory: Path) -> list[Path]:
    """Every folder under content/locales/, in name order (a language is a folder)."""
    root = directory / LOCALES_FOLDER
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def read_optional(path: Path, errors: list[SourceError]) -> Node | None:
    """Parse `path` if it exists; a translation may leave any file out."""
    if not path.is_file():
        return None
    try:
        return read_yaml_nodes(path)
    except SourceErrors as exc:
        errors.extend(exc.errors)
        return None


def load_translations(
    directory: Path, english: Messages, topics: list[Topic], tips: list[Tip]
) -> tuple[dict[str, Translation], list[SourceError]]:
    """Bind every language folder; return the valid ones and every problem found."""
    errors: list[SourceError] = []
    found: dict[str, Translation] = {}
    for folder in locale_folders(directory):
        code = folder.name
        if code not in DISCORD_LOCALES:
            message = f"'{code}' is not a Discord locale code (use one such as es-ES, pt-BR, fr)"
            errors.append(SourceError(str(folder), 1, 1, message))
            continue
        translation = _load_folder(folder, code, english, topics, tips, errors)
        if translation is not None:
            found[code] = translation
    return found, errors


def _load_folder(
    folder: Path,
    code: str,
    english: Messages,
    topics: list[Topic],
    tips: list[Tip],
    errors: list[SourceError],
) -> Translation | None:
    info_path = folder / "locale.yaml"
    if not info_path.is_file():
        errors.append(SourceError(str(info_path), 1, 1, "file is missing (name: and complete:)"))
        return None
    info, problems = bind(LocaleInfo, read_optional(info_path, errors), str(info_path))
    errors.extend(problems)
    given = load_messages(folder / "messages.yaml", english, code, errors)
    known_tips = {tip.id: tip for tip in tips}
    if info is None:
        return None
    return Translation(
        code=code,
        info=info,
        messages=replace(english, **given, locale=code),  # type: ignore[arg-type]
        given_messages=frozenset(given),
        topics=_topics(folder / "topics.yaml", {t.id for t in topics}, errors),
        tips=_tips(folder / "tips", known_tips, errors),
        commands=_commands(folder / "commands.yaml", errors),
    )


def load_messages(
    path: Path, english: Any, code: str, errors: list[SourceError]
) -> dict[str, object]:
    """Bind the keys a translated message file gives; plural forms must be the language's."""
    return bind_messages(read_optional(path, errors), path, english, code, errors)


def bind_messages(
    node: Node | None, path: Path, english: Any, code: str, errors: list[SourceError]
) -> dict[str, object]:
    """Bind a mapping of translated messages (a file, or support.yaml's `messages:`)."""
    given, problems = bind_partial(type(english), node, str(path))
    errors.extend(problems)
    allowed = plural_categories(code)
    for name in sorted(given.keys() & NOT_TRANSLATED):
        # A copy of the English file may keep its settings; a different value would do nothing.
        if given.pop(name) != getattr(english, name):
            problem = f"key '{name}' is a setting, the same in every language: change it in English"
            errors.append(_at(path, node, name, problem))
    for name, value in given.items():
        if isinstance(value, Plural):
            for category, _ in value.forms():
                if category not in allowed:
                    shown = ", ".join(sorted(allowed))
                    problem = f"key '{name}' has form '{category}', which {code} does not use"
                    errors.append(SourceError(str(path), value.line, 1, f"{problem} ({shown})"))
    return given


def _at(path: Path, node: Node | None, key: str, message: str) -> SourceError:
    line = 1
    if isinstance(node, MappingNode):
        line = next((k.start_mark.line + 1 for n, k, _ in mapping_entries(node) if n == key), 1)
    return SourceError(str(path), line, 1, message)


def _mapping_of(
    hint: type[T], path: Path, errors: list[SourceError]
) -> tuple[dict[str, T], MappingNode | None]:
    node = read_optional(path, errors)
    if node is None:
        return {}, None
    value, problems = bind_value(dict[str, hint], node, str(path), "")  # type: ignore[valid-type]
    errors.extend(problems)
    mapping = node if isinstance(node, MappingNode) else None
    return (value if isinstance(value, dict) else {}), mapping


def _topics(path: Path, known: set[str], errors: list[SourceError]) -> dict[str, TopicText]:
    bound, node = _mapping_of(TopicTranslation, path, errors)
    for name in bound.keys() - known:
        errors.append(_at(path, node, name, f"unknown topic '{name}' (not in topics.yaml)"))
    return {name: text.text() for name, text in bound.items() if name in known}


def _tips(folder: Path, known: Mapping[str, Tip], errors: list[SourceError]) -> dict[str, TipText]:
    found: dict[str, TipText] = {}
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        bound, node = _mapping_of(TipTranslation, path, errors)
        for name, text in bound.items():
            tip = known.get(name)
            if tip is None:
                errors.append(_at(path, node, name, f"unknown tip '{name}' (not in tips/)"))
            elif text.reflect and not tip.reflect:
                problem = f"tip '{name}' has a reflect question, and the English has none"
                errors.append(SourceError(str(path), text.line, 1, problem))
            else:
                found[name] = text.tip_text()
    return found


def _commands(path: Path, errors: list[SourceError]) -> dict[str, CommandText]:
    bound, _ = _mapping_of(CommandText, path, errors)
    return bound


def read_commands(folder: Path) -> dict[str, CommandText]:
    """Read a language's commands.yaml for other loaders (its problems are the library's)."""
    return _commands(folder / "commands.yaml", [])


def with_command_names(translation: Translation, registered: Registered) -> Translation:
    """Rewrite the language's `/command` references to its picker's names, once per load."""
    names = CommandReferences.for_language(registered, translation.commands)
    if not names:
        return translation
    return replace(
        translation,
        messages=rewrite_texts(translation.messages, names.rewrite),
        topics={k: rewrite_texts(v, names.rewrite) for k, v in translation.topics.items()},
        tips={k: rewrite_texts(v, names.rewrite) for k, v in translation.tips.items()},
    )


def with_translations(
    topics: list[Topic], tips: list[Tip], translations: Mapping[str, Translation]
) -> tuple[list[Topic], list[Tip]]:
    """Attach each language's topic and tip texts to the English entries they translate."""
    topics = [
        replace(
            t, locales={c: tr.topics[t.id] for c, tr in translations.items() if t.id in tr.topics}
        )
        for t in topics
    ]
    tips = [
        replace(t, locales={c: tr.tips[t.id] for c, tr in translations.items() if t.id in tr.tips})
        for t in tips
    ]
    return topics, tips


def translatable_keys(schema: type[Any]) -> list[str]:
    """List the wording keys of a message schema (settings and internal fields left out)."""
    return [
        f.name
        for f in fields(schema)
        if not f.metadata.get("internal") and f.name not in NOT_TRANSLATED
    ]
