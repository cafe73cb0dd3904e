"""The commands the bot registers, as plain data, and their names in a language's picker.

The content layer never sees discord.py's command tree, so the composition root
describes it here (bot.exts.registered_commands) and hands it to the loaders.
Two things use it: coverage counts every command, group, subcommand, option and
choice a language must name, and the text of each language has its English
`/command` references rewritten once per load to the names that language's
picker shows, so a Spanish reply says `/consejo` where the member's picker does,
and `/goal set ... private:true` says the option as the picker does (`privada:true`).
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
# An option as typed in the picker: its name, a colon, and the value right after it.
_OPTION_START = r"(?<![-\w/.:<])"
_OPTION_END = r"(?=:[^\s:/])"


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
    """Rewrites `/english name` and `option:value` to the language's own names in a text.

    Only registered names are rewritten, the longest first (`/tips restore`
    before `/tips`), never inside a word, a path, a web address or a code span;
    a code span holding nothing but a command (`` `/privacy` ``) names it too.
    An option is named as the command mentioned before it names it, or, with no
    such command, as every command having it names it alike (else it stays).
    """

    def __init__(
        self,
        renames: Mapping[str, str],
        options: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self._renames = dict(renames)
        self._options = {command: dict(named) for command, named in (options or {}).items()}
        self._anywhere = _named_alike(self._options)
        commands = "|".join(re.escape(name) for name in sorted(renames, key=len, reverse=True))
        option_names = {name for named in self._options.values() for name in named}
        options_found = "|".join(re.escape(name) for name in sorted(option_names, reverse=True))
        alternatives = [
            f"{_REFERENCE_START}(?P<command>{commands}){_REFERENCE_END}" if commands else "",
            f"{_OPTION_START}(?P<option>{options_found}){_OPTION_END}" if options_found else "",
        ]
        found = "|".join(a for a in alternatives if a)
        self._pattern = re.compile(found) if found else None
        self._whole = re.compile(f"`/({commands})`") if commands else None

    @classmethod
    def for_language(
        cls, registered: Iterable[RegisteredCommand], commands: Mapping[str, CommandText]
    ) -> CommandReferences:
        """Build the renames from a language's commands.yaml (unnamed commands stay English)."""
        renames, options = {}, {}
        for command in registered:
            shown = shown_name(command.qualified_name, commands)
            if shown != command.qualified_name:
                renames[command.qualified_name] = shown
            entry = commands.get(command.qualified_name)
            named = {
                o.name: entry.options[o.name].name
                for o in command.options
                if entry and o.name in entry.options
            }
            if any(english != own for english, own in named.items()):
                options[command.qualified_name] = named
        return cls(renames, options)

    def __bool__(self) -> bool:
        return bool(self._renames or self._options)

    def rewrite(self, text: str) -> str:
        """Return `text` with every English command and option reference in the language's names."""
        if self._pattern is None or ("/" not in text and ":" not in text):
            return text
        out, start = [], 0
        last: list[str] = []  # the command named most recently, for the options after it
        for protected in _PROTECTED.finditer(text):
            out.append(self._free(text[start : protected.start()], last))
            out.append(self._span(protected.group()))
            start = protected.end()
        out.append(self._free(text[start:], last))
        return "".join(out)

    def _free(self, text: str, last: list[str]) -> str:
        assert self._pattern is not None  # noqa: S101 - rewrite() checked it
        return self._pattern.sub(lambda m: self._renamed(m, last), text)

    def _renamed(self, found: re.Match[str], last: list[str]) -> str:
        command = found.group("command") if "command" in found.re.groupindex else None
        if command is not None:
            last[:] = [command]
            return "/" + self._renames.get(command, command)
        option = found.group("option")
        named = self._options.get(last[0], {}) if last else {}
        return named.get(option) or self._anywhere.get(option, option)

    def _span(self, text: str) -> str:
        whole = self._whole.fullmatch(text) if self._whole else None
        return f"`/{self._renames[whole.group(1)]}`" if whole else text


def _named_alike(options: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Options every command that has them names the same way (`private` -> `privada`)."""
    seen: dict[str, set[str]] = {}
    for named in options.values():
        for english, own in named.items():
            seen.setdefault(english, set()).add(own)
    return {english: own.pop() for english, own in seen.items() if len(own) == 1}


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
