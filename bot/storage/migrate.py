"""Numbered `.sql` migrations, applied in order at start and recorded in `schema_version`.

Each migration runs in its own transaction together with its version row, so a
crash half-way leaves the database at the previous version, never in between.
The version is read inside that transaction, after the write lock is taken, so
processes starting together never apply the same migration twice.
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

from bot.storage.database import BUSY_TIMEOUT_MS, Database

# A waiting process may sit behind a whole migration run on a large database.
MIGRATION_BUSY_TIMEOUT_MS = 120_000

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT
"""


@dataclass(frozen=True)
class Migration:
    """One numbered SQL script."""

    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """Return the migrations shipped in `bot/storage/sql`, in order."""
    folder = resources.files("bot.storage") / "sql"
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


async def current_version(db: Database) -> int:
    """Return the highest applied migration, 0 for a new database."""
    await db.conn.execute(_VERSION_TABLE)
    return await _read_version(db)


async def _read_version(db: Database) -> int:
    row = await db.fetch_one("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
    return int(row["v"]) if row else 0


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply what is missing; return what this call applied (empty when already current).

    Several processes may start on one database at once. Each step takes the
    write lock first and only then reads the version, so exactly one of them
    applies a given migration and the others, once they get the lock, see it
    done and move on.
    """
    available = bundled_migrations() if migrations is None else migrations
    applied: list[Migration] = []
    async with _patient(db):
        while (migration := await _apply_next(db, available)) is not None:
            applied.append(migration)
    return applied


@asynccontextmanager
async def _patient(db: Database) -> AsyncIterator[None]:
    """Wait long for the lock while migrating: another process may be mid-migration."""
    await db.conn.execute(f"PRAGMA busy_timeout = {MIGRATION_BUSY_TIMEOUT_MS}")
    try:
        yield
    finally:
        await db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


async def _apply_next(db: Database, available: list[Migration]) -> Migration | None:
    """Under the write lock: apply the first migration not yet recorded, if any."""
    async with db.transaction() as conn:
        await conn.execute(_VERSION_TABLE)
        version = await _read_version(db)
        migration = next((m for m in available if m.version > version), None)
        if migration is None:
            return None
        try:
            for statement in _statements(migration.sql):
                await conn.execute(statement)
        except sqlite3.Error as exc:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} failed: {exc}"
            ) from exc
        await conn.execute(
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
