"""Command-picker translations: Discord's rules for `name_localizations` and friends.

Discord refuses a whole command sync (400, 50035) when one localized name or
description breaks a rule, so the sandbox checks them the same way: locales
must be Discord's own codes, localized names follow the name rule (1-32
characters of letters, digits, `-` and `_`, lowercase where a letter has a
lowercase form), descriptions and choice names are 1-100 characters.
"""

from __future__ import annotations

import re
from typing import Any

from discord_sandbox.errors import invalid_form

LOCALES = frozenset(
    {
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu",
        "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru",
        "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
    }
)  # fmt: skip
# \w is Unicode letters, digits and _; Discord's pattern is [-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}].
NAME = re.compile(r"^[-\w\u0900-\u097f\u0e00-\u0e7f]{1,32}$")


def valid_name(name: str) -> bool:
    """Say whether a command or option name (in any language) follows Discord's rule."""
    return bool(NAME.match(name)) and name == name.lower()


def check_localizations(body: dict[str, Any], where: str, *, named: bool = True) -> None:
    """Refuse bad `name_localizations` / `description_localizations` of one command or option.

    `named` is False for choices, whose names are free text of 1-100 characters.
    """
    prefix = f"{where}." if where else ""
    for locale, name in (body.get("name_localizations") or {}).items():
        field = f"{prefix}name_localizations.{locale}"
        _known(locale, field)
        if named and not valid_name(str(name)):
            raise invalid_form(field, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if not named:
            _length(str(name), field)
    for locale, text in (body.get("description_localizations") or {}).items():
        field = f"{prefix}description_localizations.{locale}"
        _known(locale, field)
        _length(str(text), field)


def _known(locale: str, field: str) -> None:
    if locale not in LOCALES:
        raise invalid_form(field, "LOCALE_INVALID", f"Invalid locale: {locale}")


def _length(text: str, field: str) -> None:
    if not 1 <= len(text) <= 100:
        raise invalid_form(field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
