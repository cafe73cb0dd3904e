"""Plural forms, numbers and calendar words per language, all from CLDR through Babel.

Nothing here is a hand-written table: Babel carries the Unicode CLDR data, so
"1 semana seguida" / "2 semanas seguidas" and "viernes" come from the same
source every other well-localised program uses. Locales are parsed once each.
A weekday keeps the case CLDR gives it ("Friday", "viernes") and takes a capital
only where it starts a sentence, which `fill` knows and the caller does not.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import babel.core
from babel import Locale, UnknownLocaleError, localedata
from babel.dates import format_date, format_skeleton, match_skeleton
from babel.numbers import format_decimal

Variants = tuple[str, ...]
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What may stand between a sentence's end and its first word: spaces, quotes, markdown, ¿ and ¡.
_OPENERS = " \t\"'«“‘(*_¿¡"
_SENTENCE_ENDS = ".!?…\n"


class CalendarWord(str):
    """A day or date as CLDR writes it mid-sentence; `fill` capitalises it at a sentence start."""


@dataclass(frozen=True)
class Plural:
    """A message in one form per CLDR plural category; `count` names the number that picks."""

    count: str
    other: Variants
    zero: Variants = ()
    one: Variants = ()
    two: Variants = ()
    few: Variants = ()
    many: Variants = ()
    line: int = field(default=0, metadata={"line": True})

    def forms(self) -> Iterator[tuple[str, Variants]]:
        """Yield each written form with its category, in CLDR order."""
        for category in CATEGORIES:
            texts: Variants = getattr(self, category)
            if texts:
                yield category, texts

    def form(self, category: str) -> Variants:
        """Return the texts for `category`; a form the file leaves out reads as `other`."""
        texts: Variants = getattr(self, category, ())
        return texts or self.other

    def texts(self) -> Variants:
        """Every text in every form (for checks that read all of them)."""
        return tuple(text for _, texts in self.forms() for text in texts)


def plural_schema(form: Mapping[str, Any]) -> type[Plural]:
    """Make the binder's shape for one plural message: every form checked by the rule `form`."""
    forms = [
        (name, Variants, field(default=(), metadata=form)) for name in CATEGORIES if name != "other"
    ]
    return dataclasses.make_dataclass(
        "Plural",
        [("count", str), ("other", Variants, field(metadata=form)), *forms],
        bases=(Plural,),
        frozen=True,
    )


# CLDR tables Bounceback never shows: names of languages, territories, scripts, currencies,
# time zones and units, relative-time words, compact and interval formats. They are about
# nine tenths of each language's data (some 2 MiB per language in memory) and are dropped
# from Babel's cache as soon as a language is loaded. The tests format every number, day
# and plural of every shipped language afterwards.
UNSHOWN_TABLES = frozenset(
    {
        "languages",
        "territories",
        "scripts",
        "variants",
        "currency_names",
        "currency_names_plural",
        "time_zones",
        "meta_zones",
        "unit_patterns",
        "unit_display_names",
        "compound_unit_patterns",
        "date_fields",
        "compact_decimal_formats",
        "compact_currency_formats",
        "interval_formats",
    }
)


@functools.cache
def cldr_locale(code: str) -> Locale:
    """Parse a Discord locale code (`pt-BR`, `es-419`, `fr`) into Babel's locale, once."""
    try:
        locale = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(code.split("-")[0])
    _drop_unshown(locale)
    _drop_global_tables()
    return locale


def _drop_unshown(locale: Locale) -> None:
    """Drop the tables in UNSHOWN_TABLES from the data Babel keeps for `locale` and its bases.

    `localedata.load` hands out the cached dictionaries, so this frees the memory; were
    it ever to hand out copies, nothing would break, the memory would just stay in use.
    """
    for name in {"root", locale.language, str(locale)}:
        if localedata.exists(name):
            data = localedata.load(name)
            for table in UNSHOWN_TABLES & data.keys():
                del data[table]


def _drop_global_tables() -> None:
    """Let go of Babel's global CLDR tables once a language is parsed and loaded.

    They hold every time zone, currency and territory alias (2 MiB in memory) and are
    read only to parse a locale code or load a language's data, which happens once per
    language; Babel reads the file again (2-4 ms) if a new language ever asks. Held
    through the bot's life they were a sixth of what it uses beyond a bare bot.
    """
    if getattr(babel.core, "_global_data", None) is not None:
        babel.core._global_data = None


def plural_categories(code: str) -> frozenset[str]:
    """Return the plural categories the language distinguishes (English: one, other)."""
    return frozenset(cldr_locale(code).plural_form.tags) | {"other"}


def plural_category(number: int, code: str) -> str:
    """Return the CLDR category of `number` in the language of `code`."""
    return str(cldr_locale(code).plural_form(number))


@functools.lru_cache(maxsize=4096)
def format_number(number: int, code: str) -> str:
    """Write a whole number as the language does (1,000 / 1.000 / 1 000)."""
    return str(format_decimal(number, locale=cldr_locale(code)))


@functools.cache
def weekday_name(day: str, code: str) -> CalendarWord:
    """Name a weekday on its own, in CLDR's stand-alone form (Friday, viernes, sexta-feira)."""
    names = cldr_locale(code).days["stand-alone"]["wide"]
    return CalendarWord(names[WEEKDAYS.index(day)])


@functools.cache
def _day_pattern(code: str) -> str:
    """Return the language's pattern for weekday, day and month, the weekday in full.

    CLDR has no full-weekday skeleton; like ICU's pattern generator, take the
    abbreviated one the language orders and punctuates, and widen its weekday.
    """
    locale = cldr_locale(code)
    skeleton = match_skeleton("MMMMEd", locale.datetime_skeletons) or "MMMMEd"
    return re.sub(r"E+", "EEEE", str(locale.datetime_skeletons[skeleton]))


def format_day(when: date, code: str, *, short: bool = False) -> CalendarWord:
    """Write a calendar day in the language: `Friday, December 4`, or short `Dec 4`."""
    locale = cldr_locale(code)
    if short:
        return CalendarWord(format_skeleton("MMMd", when, locale=locale))
    return CalendarWord(format_date(when, _day_pattern(code), locale=locale))


def fill(text: str, values: Mapping[str, object], code: str) -> str:
    """Fill plain `{placeholders}`, numbers and days as the language writes them.

    A day takes a capital only where it starts a sentence ("Domingo: ...", "... el domingo").
    """
    out: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is None:
            continue
        value = values[name]
        shown = format_number(value, code) if type(value) is int else str(value)
        if isinstance(value, CalendarWord) and _starts_sentence("".join(out)):
            shown = shown[:1].upper() + shown[1:]
        out.append(shown)
    return "".join(out)


def _starts_sentence(before: str) -> bool:
    head = before.rstrip(_OPENERS)
    return not head or head[-1] in _SENTENCE_ENDS
