"""Numbered `.sql` migrations per backend, applied in order and recorded in `schema_version`.

`sql/sqlite/` and `sql/postgres/` hold the same numbers with the same tables and
columns (a test compares fresh databases of both kinds); a new migration gets a
file in each. Each migration runs in its own transaction together with its
version row, so a crash half-way leaves the database at the previous version,
never in between. The version is read inside that transaction, after the write
lock (SQLite) or an advisory lock (PostgreSQL) is taken, so processes starting
together never apply the same migration twice.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bot.storage.database import Database
from bot.storage.port import Dialect, Executor, StorageError, Store, Transaction
from bot.storage.sqlite_connections import BUSY_TIMEOUT_MS

# A waiting process may sit behind a whole migration run on a large database.
MIGRATION_BUSY_TIMEOUT_MS = 120_000
# Any fixed number; every Bounceback process migrating one PostgreSQL database takes it.
_ADVISORY_LOCK = 0x626F756E6365  # "bounce"

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_VERSION_COLUMNS = """(
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""
_VERSION_TABLE: dict[Dialect, str] = {
    "sqlite": f"CREATE TABLE IF NOT EXISTS schema_version {_VERSION_COLUMNS} STRICT",
    "postgres": f"CREATE TABLE IF NOT EXISTS schema_version {_VERSION_COLUMNS}",
}


@dataclass(frozen=True)
class Migration:
    """One numbered SQL script."""

    version: int
    name: str
    sql: str


def bundled_migrations(dialect: Dialect = "sqlite") -> list[Migration]:
    """Return the migrations shipped in `bot/storage/sql/<dialect>`, in order."""
    folder = resources.files("bot.storage") / "sql" / dialect
    found = [(entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir()]
    return _parse(found)


def migrations_in(folder: Path) -> list[Migration]:
    """Migrations from any folder (tests use this to stage older versions)."""
    return _parse([(p.name, p.read_text(encoding="utf-8")) for p in folder.glob("*.sql")])


def _parse(files: list[tuple[str, str]]) -> list[Migration]:
    migrations = []
    for name, sql in files:
        match = _NAME.match(name)
        if match is None:
            raise ValueError(f"migration file name must look like 0001_name.sql: {name}")
        migrations.append(Migration(int(match[1]), match[2], sql))
    migrations.sort(key=lambda m: m.version)
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration numbers must run 1, 2, 3 ... without gaps: {versions}")
    return migrations


async def current_version(db: Store) -> int:
    """Return the highest applied migration, 0 for a new database."""
    async with db.transaction() as tx:
        await _lock(db, tx)
        await tx.execute(_VERSION_TABLE[db.dialect])
        return await _read_version(tx)


async def _read_version(db: Executor) -> int:
    row = await db.fetch_one("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
    return int(row["v"]) if row else 0


async def migrate(db: Store, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply what is missing; return what this call applied (empty when already current).

    Several processes may start on one database at once. Each step takes the
    write lock first and only then reads the version, so exactly one of them
    applies a given migration and the others, once they get the lock, see it
    done and move on.
    """
    available = bundled_migrations(db.dialect) if migrations is None else migrations
    applied: list[Migration] = []
    async with _patient(db):
        while (migration := await _apply_next(db, available)) is not None:
            applied.append(migration)
    return applied


@asynccontextmanager
async def _patient(db: Store) -> AsyncIterator[None]:
    """Wait long for the lock while migrating: another process may be mid-migration."""
    if not isinstance(db, Database):
        yield  # PostgreSQL: _lock lifts the statement timeout inside each migration
        return
    await db.conn.execute(f"PRAGMA busy_timeout = {MIGRATION_BUSY_TIMEOUT_MS}")
    try:
        yield
    finally:
        await db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


async def _lock(db: Store, tx: Transaction) -> None:
    """PostgreSQL: one migrating process at a time, held until this transaction ends."""
    if db.dialect == "postgres":
        await tx.execute(f"SET LOCAL statement_timeout = {MIGRATION_BUSY_TIMEOUT_MS}")
        await tx.fetch_one("SELECT pg_advisory_xact_lock(?)", (_ADVISORY_LOCK,))


async def _apply_next(db: Store, available: list[Migration]) -> Migration | None:
    """Under the write lock: apply the first migration not yet recorded, if any."""
    async with db.transaction() as tx:
        await _lock(db, tx)
        await tx.execute(_VERSION_TABLE[db.dialect])
        version = await _read_version(tx)
        migration = next((m for m in available if m.version > version), None)
        if migration is None:
            return None
        try:
            # PostgreSQL takes a whole script at once (function bodies hold semicolons).
            scripts = _statements(migration.sql) if db.dialect == "sqlite" else [migration.sql]
            for statement in scripts:
                await tx.execute(statement)
        except StorageError as exc:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} failed: {exc}"
            ) from exc
        await tx.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    return migration


def _statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our open transaction)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending)
            pending = ""
    if _has_code(pending):
        statements.append(pending)
    return statements


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


class MigrationError(Exception):
    """A migration script failed; the database stays at the previous version."""
