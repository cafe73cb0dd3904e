"""The slash-command picker in every language: discord.py's Translator, fed by commands.yaml.

discord.py asks the translator for every command, group, option and choice in
every Discord locale when it builds the tree it syncs; the answers become the
`name_localizations` / `description_localizations` Discord shows in the picker.
Entries are keyed by the English qualified name (`rejection log`), options by
their English name and choices by their value, as content/locales/<code>/
commands.yaml writes them. A locale with no folder of its own borrows its
language's (es-419 reads es-ES); anything missing stays English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.content.commands import shown_name
from bot.content.library import Library
from bot.content.translation_schema import Translation

_NAMES = (Where.command_name, Where.group_name, Where.parameter_name)
_DESCRIPTIONS = (Where.command_description, Where.group_description, Where.parameter_description)


class PickerTranslator(app_commands.Translator):
    """Answer discord.py's questions from the live content's commands.yaml files."""

    def __init__(self, library: Callable[[], Library]) -> None:
        self._library = library

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Return the text for one picker string in `locale`, or None to keep the English."""
        translation = self._library().translation(locale.value)
        if translation is None:
            return None
        return picker_text(translation, context.location, context.data)


def picker_text(translation: Translation, where: Where, data: Any) -> str | None:
    """Find one picker string in a language's commands.yaml (None: not translated)."""
    if where is Where.choice_name:
        return choice_name(translation, data.value)
    if where in (Where.parameter_name, Where.parameter_description):
        entry = translation.commands.get(data.command.qualified_name)
        option = entry.options.get(data.name) if entry else None
        if option is None:
            return None
        return option.name if where is Where.parameter_name else option.description
    entry = translation.commands.get(getattr(data, "qualified_name", ""))
    if entry is None:
        return None
    if where in _NAMES:
        return entry.name
    return entry.description if where in _DESCRIPTIONS else None


def choice_name(translation: Translation, value: object) -> str | None:
    """Name a choice by its value; the same value (a weekday, a stage) reads alike everywhere."""
    for entry in translation.commands.values():
        for option in entry.options.values():
            shown = option.choices.get(str(value))
            if shown is not None:
                return shown
    return None


def shown_command(
    qualified_name: str, description: str, translation: Translation | None
) -> tuple[str, str]:
    """Return a command's `/name` and description as the picker shows them in that language."""
    if translation is None:
        return qualified_name, description
    entry = translation.commands.get(qualified_name)
    shown = shown_name(qualified_name, translation.commands)
    return shown, entry.description if entry else description
