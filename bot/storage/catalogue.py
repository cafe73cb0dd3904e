"""What tables and columns a database holds, asked the way each backend answers it.

`db copy` walks every table with it, and tests use it to compare a fresh
database of each kind and to scan every table for member data.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.port import Dialect, Executor


@dataclass(frozen=True)
class Column:
    """A column's name and its declared type, as the backend spells it."""

    name: str
    type: str


async def table_names(db: Executor, dialect: Dialect) -> list[str]:
    """List the application's tables, sorted (the schema-version table included)."""
    if dialect == "sqlite":
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    else:
        sql = (
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    return [str(row["name"]) for row in await db.fetch_all(sql)]


async def columns(db: Executor, dialect: Dialect, table: str) -> list[Column]:
    """List a table's columns in their order."""
    if dialect == "sqlite":
        sql = "SELECT name, type FROM pragma_table_info(?) ORDER BY cid"
    else:
        sql = (
            "SELECT column_name AS name, data_type AS type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
        )
    return [Column(str(r["name"]), str(r["type"])) for r in await db.fetch_all(sql, (table,))]
