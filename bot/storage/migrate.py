"""Numbered `.sql` migrations, applied in order at start and recorded in `schema_version`.

Each migration runs in its own transaction together with its version row, so a
crash half-way leaves the database at the previous version, never in between.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bot.storage.database import Database

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
    """The migrations shipped in `bot/storage/sql`, in order."""
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
    """The highest applied migration, 0 for a new database."""
    await db.conn.execute(_VERSION_TABLE)
    row = await db.fetch_one("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
    return int(row["v"]) if row else 0


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply what is missing; return what was applied (empty when already current)."""
    available = bundled_migrations() if migrations is None else migrations
    version = await current_version(db)
    pending = [m for m in available if m.version > version]
    for migration in pending:
        await _apply(db, migration)
    return pending


async def _apply(db: Database, migration: Migration) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    record = (
        "INSERT INTO schema_version (version, name, applied_at) "
        f"VALUES ({migration.version}, '{migration.name}', '{stamp}');"
    )
    try:
        await db.conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\n{record}\nCOMMIT;")
    except sqlite3.Error as exc:
        if db.conn.in_transaction:
            await db.conn.execute("ROLLBACK")
        raise MigrationError(
            f"migration {migration.version:04d}_{migration.name} failed: {exc}"
        ) from exc


class MigrationError(Exception):
    """A migration script failed; the database stays at the previous version."""
