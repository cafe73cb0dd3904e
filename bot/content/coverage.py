"""How much of the English each language translates: strings and tips, and what is missing.

A string is one message key (messages.yaml and support.yaml's wording), one
topic, one grounding exercise, one region name, or one entry of the picker
(commands.yaml: each registered command, group and subcommand, each of their
options, and each option's choices, under its own command); a tip counts when its text,
and its reflect question where the English has one, are translated. A language
whose locale.yaml says `complete: true` must reach 100% of both, or
`bounceback check` fails (and CI with it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.content.commands import Registered
from bot.content.library import Library
from bot.content.locale_loader import translatable_keys
from bot.content.messages import Messages
from bot.content.support_schema import SupportContent, SupportMessages
from bot.content.translation_schema import CommandText, SupportTranslation, Translation


@dataclass(frozen=True)
class Coverage:
    """One language's share of the English, and the first things it still lacks."""

    code: str
    name: str
    declared_complete: bool
    strings: int
    strings_total: int
    tips: int
    tips_total: int
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every string and every tip is translated."""
        return self.strings == self.strings_total and self.tips == self.tips_total

    @property
    def broken_promise(self) -> bool:
        """True when locale.yaml says complete and the folder is not."""
        return self.declared_complete and not self.complete

    def line(self) -> str:
        """`es-ES: 100% of 412 strings, 108 of 108 tips` (percent rounded down)."""
        percent = 100 * self.strings // self.strings_total if self.strings_total else 100
        return (
            f"{self.code}: {percent}% of {self.strings_total} strings, "
            f"{self.tips} of {self.tips_total} tips"
        )


def coverage(library: Library, support: SupportContent) -> list[Coverage]:
    """Measure every language folder against the English."""
    return [
        _one(translation, support.translations.get(code), library, support)
        for code, translation in library.translations.items()
    ]


def _one(
    translation: Translation,
    support_tr: SupportTranslation | None,
    library: Library,
    support: SupportContent,
) -> Coverage:
    wanted = {f"messages.yaml {k}" for k in _wording(library.english, Messages)}
    wanted |= {f"support.yaml messages.{k}" for k in _wording(support.messages, SupportMessages)}
    wanted |= {f"topics.yaml {t}" for t in library.topics}
    wanted |= {f"support.yaml grounding.{e.id}" for e in support.grounding}
    wanted |= {f"support.yaml regions.{r}" for r in support.regions}
    picker = list(picker_strings(library.commands, translation.commands))
    wanted |= {where for where, _ in picker}
    done = {where for where, named in picker if named}
    done |= {f"messages.yaml {k}" for k in translation.given_messages}
    done |= {f"topics.yaml {t}" for t in translation.topics}
    if support_tr is not None:
        done |= {f"support.yaml messages.{k}" for k in support_tr.given_messages}
        done |= {f"support.yaml grounding.{e}" for e in support_tr.grounding}
        done |= {f"support.yaml regions.{r}" for r in support_tr.regions}
    tips_done = [
        tip_id
        for tip_id, text in translation.tips.items()
        if not library.tips[tip_id].reflect or text.reflect
    ]
    missing_tips = [f"tips {t}" for t in library.tips if t not in set(tips_done)]
    return Coverage(
        code=translation.code,
        name=translation.info.name,
        declared_complete=translation.info.complete,
        strings=len(wanted & done),
        strings_total=len(wanted),
        tips=len(tips_done),
        tips_total=len(library.tips),
        missing=tuple(sorted(wanted - done)) + tuple(missing_tips),
    )


def _wording(english: object, schema: type) -> list[str]:
    """List the keys English actually says (an optional message left empty is not asked)."""
    return [key for key in translatable_keys(schema) if getattr(english, key, None)]


def picker_strings(
    registered: Registered, named: Mapping[str, CommandText]
) -> Iterator[tuple[str, bool]]:
    """Yield every picker string the bot registers, and whether a commands.yaml names it.

    Named as `commands.yaml rejection log`, `...:stage` and `...:stage=interview`.
    """
    for command in registered:
        entry = named.get(command.qualified_name)
        yield f"commands.yaml {command.qualified_name}", entry is not None
        for option in command.options:
            text = entry.options.get(option.name) if entry is not None else None
            where = f"commands.yaml {command.qualified_name}:{option.name}"
            yield where, text is not None
            for choice in option.choices:
                yield f"{where}={choice}", text is not None and choice in text.choices
