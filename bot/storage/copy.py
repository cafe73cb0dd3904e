"""Move an install between backends (SQLite to PostgreSQL and back), all or nothing.

Both sides are brought to the same schema version first, so every table has
the same columns on both. The target is written in one transaction: a copy
that fails half-way leaves it as it was. Rows are counted per table on both
sides before that transaction commits; any difference rolls it back.

The member-key secret is not in the database and does not move with the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.catalogue import table_names
from bot.storage.migrate import migrate
from bot.storage.port import Row, Store, Transaction

VERSION_TABLE = "schema_version"


class CopyError(Exception):
    """The copy cannot go ahead or did not match; the target is unchanged."""

    def __init__(self, message: str, counts: list[TableCount] | None = None) -> None:
        super().__init__(message)
        self.counts = counts or []


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the source and, after copying, in the target."""

    table: str
    source: int
    target: int


async def copy_database(source: Store, target: Store, *, force: bool) -> list[TableCount]:
    """Copy every row of every table from `source` into `target`; return the counts."""
    await migrate(source)
    await migrate(target)
    tables = [t for t in await table_names(target, target.dialect) if t != VERSION_TABLE]
    missing = set(tables) ^ {
        t for t in await table_names(source, source.dialect) if t != VERSION_TABLE
    }
    if missing:
        raise CopyError(f"the two databases have different tables: {sorted(missing)}")
    if not force:
        filled = [t for t in tables if await _count(target, t)]
        if filled:
            raise CopyError(
                f"the target already holds data ({', '.join(filled)}); pass --force to replace it"
            )
    counts: list[TableCount] = []
    async with target.transaction() as tx:
        for table in tables:
            rows = await source.fetch_all(f"SELECT * FROM {table}")  # noqa: S608 - names come from the database's own catalogue
            await tx.execute(f"DELETE FROM {table}")  # noqa: S608 - as above
            await _insert(tx, table, rows)
            counts.append(TableCount(table, len(rows), await _count(tx, table)))
        if target.dialect == "postgres":
            await _advance_identities(tx)
        wrong = [c.table for c in counts if c.source != c.target]
        if wrong:
            raise CopyError(f"row counts differ in {', '.join(wrong)}", counts)
    return counts


async def _count(db: Store | Transaction, table: str) -> int:
    row = await db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")  # noqa: S608 - catalogue name
    return int(row["n"]) if row else 0


async def _insert(tx: Transaction, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0].keys())
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - catalogue names
    await tx.execute_many(sql, [tuple(row) for row in rows])


async def _advance_identities(tx: Transaction) -> None:
    """Start each identity after the highest copied id (they were given explicitly)."""
    identities = await tx.fetch_all(
        "SELECT table_name AS t FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND column_name = 'id' AND is_identity = 'YES'"
    )
    for row in identities:
        table = str(row["t"])
        await tx.fetch_one(
            f"SELECT setval(pg_get_serial_sequence(?, 'id'), "  # noqa: S608 - catalogue name
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
            (table,),
        )
