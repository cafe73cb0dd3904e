"""The commands the bot registers, as plain data, and their names in a language's picker.

The content layer never sees discord.py's command tree, so the composition root
describes it here (bot.exts.registered_commands) and hands it to the loaders.
Two things use it: coverage counts every command, group, subcommand, option and
choice a language must name, and the text of each language has its English
`/command` references rewritten once per load to the names that language's
picker shows, so a Spanish reply says `/consejo` where the member's picker does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar

from bot.content.plurals import CATEGORIES, Plural
from bot.content.translation_schema import CommandText

T = TypeVar("T")

# Protected from rewriting: code spans, and web addresses (a path such as example.org/tip).
_PROTECTED = re.compile(r"`[^`\n]*`|\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+", re.IGNORECASE)
_REFERENCE_END = r"(?![-\w])"
# Not inside a word or a path, nor a `</tip:123>` mention (Discord localizes those itself).
_REFERENCE_START = r"(?<![-\w/.:<])/"


@dataclass(frozen=True)
class RegisteredOption:
    """An option of a registered command, with the values of its fixed choices."""

    name: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisteredCommand:
    """A command, group or subcommand as registered: `rejection log` is its qualified name."""

    qualified_name: str
    options: tuple[RegisteredOption, ...] = ()


Registered = tuple[RegisteredCommand, ...]


def shown_name(qualified_name: str, commands: Mapping[str, CommandText]) -> str:
    """Name a command as a language's picker shows it: each segment localized where named."""
    segments = qualified_name.split()
    shown = []
    for depth in range(1, len(segments) + 1):
        entry = commands.get(" ".join(segments[:depth]))
        shown.append(entry.name if entry else segments[depth - 1])
    return " ".join(shown)


class CommandReferences:
    """Rewrites `/english name` to the language's own command name in a text.

    Only registered names are rewritten, the longest first (`/tips restore`
    before `/tips`), never inside a word, a path, a web address or a code span;
    a code span holding nothing but a command (`` `/privacy` ``) names it too.
    """

    def __init__(self, renames: Mapping[str, str]) -> None:
        self._renames = dict(renames)
        names = sorted(renames, key=len, reverse=True)
        alternatives = "|".join(re.escape(name) for name in names)
        self._pattern = (
            re.compile(f"{_REFERENCE_START}({alternatives}){_REFERENCE_END}") if names else None
        )
        self._whole = re.compile(f"`/({alternatives})`") if names else None

    @classmethod
    def for_language(
        cls, registered: Iterable[RegisteredCommand], commands: Mapping[str, CommandText]
    ) -> CommandReferences:
        """Build the renames from a language's commands.yaml (unnamed commands stay English)."""
        renames = {}
        for command in registered:
            shown = shown_name(command.qualified_name, commands)
            if shown != command.qualified_name:
                renames[command.qualified_name] = shown
        return cls(renames)

    def __bool__(self) -> bool:
        return bool(self._renames)

    def rewrite(self, text: str) -> str:
        """Return `text` with every English command reference in the language's names."""
        if self._pattern is None or "/" not in text:
            return text
        out, start = [], 0
        for protected in _PROTECTED.finditer(text):
            out.append(self._free(text[start : protected.start()]))
            out.append(self._span(protected.group()))
            start = protected.end()
        out.append(self._free(text[start:]))
        return "".join(out)

    def _free(self, text: str) -> str:
        assert self._pattern is not None  # noqa: S101 - rewrite() checked it
        return self._pattern.sub(lambda m: "/" + self._renames[m.group(1)], text)

    def _span(self, text: str) -> str:
        whole = self._whole.fullmatch(text) if self._whole else None
        return f"`/{self._renames[whole.group(1)]}`" if whole else text


def rewrite_texts(value: T, rewrite: Callable[[str], str]) -> T:
    """Apply `rewrite` to every text of a wording dataclass: strings, variants, plural forms.

    Internal fields (the locale, a line number) and anything that is not text are kept.
    """
    if not is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for item in fields(value):
        if item.metadata.get("internal") or item.metadata.get("line"):
            continue
        old = getattr(value, item.name)
        new = _rewritten(old, rewrite)
        if new is not old:
            changes[item.name] = new
    return replace(value, **changes) if changes else value


def _rewritten(value: object, rewrite: Callable[[str], str]) -> object:
    if isinstance(value, str):
        new = rewrite(value)
        return value if new == value else new
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        texts = tuple(rewrite(v) for v in value)
        return value if texts == value else texts
    if isinstance(value, Plural):
        forms = {c: _rewritten(getattr(value, c), rewrite) for c in CATEGORIES}
        changed: dict[str, Any] = {c: v for c, v in forms.items() if v is not getattr(value, c)}
        return replace(value, **changed) if changed else value
    return value
