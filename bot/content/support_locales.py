"""content/locales/<code>/support.yaml: /support's wording, exercises and region names per language.

The crisis lines themselves are facts (a number is the same number in every
language), so a language translates only the region's display name. A
grounding exercise keeps its English number of steps, because the buttons that
walk through it carry the step index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from bot.content.binding import bind_value
from bot.content.commands import CommandReferences, Registered, rewrite_texts
from bot.content.locale_loader import bind_messages, locale_folders, read_commands, read_optional
from bot.content.source import MappingNode, Node, SourceError, mapping_entries
from bot.content.support_schema import GroundingExercise, Region, SupportContent
from bot.content.translation_schema import GroundingText, RegionText, SupportTranslation
from bot.domain.locales import DISCORD_LOCALES

SECTIONS = ("messages", "grounding", "regions")
T = TypeVar("T")


def load_support_translations(
    directory: Path, english: SupportContent, commands: Registered = ()
) -> tuple[dict[str, SupportTranslation], list[SourceError]]:
    """Bind every language's support.yaml against the English content.

    `/command` references take the names of the language's picker (bot.content.commands).
    """
    errors: list[SourceError] = []
    found: dict[str, SupportTranslation] = {}
    for folder in locale_folders(directory):
        path = folder / "support.yaml"
        if folder.name not in DISCORD_LOCALES:
            continue  # the content loader names a folder that is not a locale
        names = CommandReferences.for_language(commands, read_commands(folder))
        if not path.is_file() and not names:
            continue  # all English, command names included
        node = read_optional(path, errors)
        translation = _translation(node, path, folder.name, english, errors)
        found[folder.name] = _with_command_names(translation, names)
    return found, errors


def _with_command_names(
    translation: SupportTranslation, names: CommandReferences
) -> SupportTranslation:
    if not names:
        return translation
    return replace(
        translation,
        messages=rewrite_texts(translation.messages, names.rewrite),
        grounding={k: rewrite_texts(v, names.rewrite) for k, v in translation.grounding.items()},
    )


def _translation(
    node: Node | None, path: Path, code: str, english: SupportContent, errors: list[SourceError]
) -> SupportTranslation:
    sections: dict[str, Node] = {}
    if isinstance(node, MappingNode):
        for name, key, value in mapping_entries(node):
            if name not in SECTIONS:
                expected = ", ".join(SECTIONS)
                errors.append(
                    _error(path, key, f"unknown key '{name}' (expected one of: {expected})")
                )
            sections[name] = value
    given = bind_messages(sections.get("messages"), path, english.messages, code, errors)
    exercises = {e.id: e for e in english.grounding}
    grounding = _section(sections.get("grounding"), path, "grounding", GroundingText, errors)
    for ident, text in list(grounding.items()):
        exercise = exercises.get(ident)
        problem = None
        if exercise is None:
            problem = f"unknown grounding exercise '{ident}'"
        elif len(text.steps) != len(exercise.steps):
            problem = (
                f"exercise '{ident}' has {len(text.steps)} steps; the English has "
                f"{len(exercise.steps)}, and the buttons walk through them by number"
            )
        if problem:
            errors.append(SourceError(str(path), text.line, 1, problem))
            del grounding[ident]
    regions = _section(sections.get("regions"), path, "regions", RegionText, errors)
    for code_name in sorted(regions.keys() - english.regions.keys()):
        errors.append(SourceError(str(path), 1, 1, f"unknown region '{code_name}'"))
    return SupportTranslation(
        code=code,
        messages=replace(english.messages, **given),  # type: ignore[arg-type]
        given_messages=frozenset(given),
        grounding=grounding,
        regions={c: r.name for c, r in regions.items() if c in english.regions},
    )


def _section(
    node: Node | None, path: Path, name: str, hint: type[T], errors: list[SourceError]
) -> dict[str, T]:
    if node is None:
        return {}
    value, problems = bind_value(dict[str, hint], node, str(path), name)  # type: ignore[valid-type]
    errors.extend(problems)
    return value if isinstance(value, dict) else {}


def _error(path: Path, node: Node, message: str) -> SourceError:
    return SourceError(str(path), node.start_mark.line + 1, node.start_mark.column + 1, message)


def localized(english: SupportContent, translation: SupportTranslation) -> SupportContent:
    """Return the support content as one language shows it; anything untranslated stays English."""
    grounding = tuple(_exercise(e, translation.grounding) for e in english.grounding)
    regions = {
        code: _region(region, translation.regions.get(code))
        for code, region in english.regions.items()
    }
    return replace(english, messages=translation.messages, grounding=grounding, regions=regions)


def _exercise(exercise: GroundingExercise, texts: Mapping[str, GroundingText]) -> GroundingExercise:
    text = texts.get(exercise.id)
    return replace(exercise, name=text.name, steps=text.steps) if text else exercise


def _region(region: Region, name: str | None) -> Region:
    return replace(region, name=name) if name else region
