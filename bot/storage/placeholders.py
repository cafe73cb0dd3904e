"""SQLite's `?` and `:name` placeholders turned into PostgreSQL's `$1, $2 ...`.

Repositories write one portable statement; only the PostgreSQL adapter needs
numbered parameters. Comments and text in quotes are left alone, and so is `::type` (a
PostgreSQL cast, which must not read as a `:name` placeholder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.storage.port import Params

# A comment, a quoted literal or identifier, a cast, or a placeholder, left to right.
_TOKEN = re.compile(r"--[^\n]*|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Translated:
    """A statement in PostgreSQL's style, and how to order its parameters."""

    sql: str
    names: tuple[str, ...]  # for `:name` statements: the name behind each $n
    positional: int  # for `?` statements: how many

    def arguments(self, params: Params) -> list[Any]:
        """Order `params` as `$1, $2 ...` expect them."""
        if isinstance(params, dict):
            return [params[name] for name in self.names]
        values = list(params) if not isinstance(params, list) else params
        if len(values) != self.positional:
            raise ValueError(f"statement takes {self.positional} parameters, got {len(values)}")
        return values


def translate(sql: str) -> Translated:
    """Rewrite the placeholders as `$1, $2 ...` (a repeated `:name` keeps its number)."""
    names: list[str] = []
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        found = match[0]
        if found == "?":
            count += 1
            return f"${count}"
        name = match[1]
        if name is None:
            return found  # a comment, a quoted literal or a cast
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    text = _TOKEN.sub(number, sql)
    if count and names:
        raise ValueError("a statement uses either ? or :name placeholders, not both")
    return Translated(text, tuple(names), count)
