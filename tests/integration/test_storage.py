"""Migrations and the transaction manager, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.domain.accountability import AccountabilitySettings
from bot.domain.celebration import CelebrationSettings
from bot.storage.database import Database
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.migrate import (
    MigrationError,
    bundled_migrations,
    current_version,
    migrate,
    migrations_in,
)

V1 = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
V2 = "ALTER TABLE notes ADD COLUMN mood TEXT NOT NULL DEFAULT 'ok';"


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    """SQLite-only behaviour: this module runs on the SQLite adapter alone."""
    return sqlite_db


async def _open(path: Path) -> Database:
    db = Database(path)
    await db.connect()
    return db


async def test_first_run_creates_the_folder_and_applies_everything(tmp_path: Path) -> None:
    db = await _open(tmp_path / "nested" / "data" / "bot.db")
    applied = await migrate(db)
    assert [m.version for m in applied] == [m.version for m in bundled_migrations()]
    assert await current_version(db) == len(bundled_migrations())
    assert (tmp_path / "nested" / "data" / "bot.db").exists()
    await db.close()


async def test_pragmas_are_set(db: Database) -> None:
    async def pragma(name: str) -> object:
        # The writing connection's own settings (reads go through a second connection).
        return next(iter(await db.conn.execute_fetchall(f"PRAGMA {name}")))[0]

    assert await pragma("journal_mode") == "wal"
    assert await pragma("foreign_keys") == 1
    assert await pragma("busy_timeout") == 5000


async def test_rerunning_migrations_is_a_no_op(db: Database) -> None:
    before = await current_version(db)
    assert await migrate(db) == []
    assert await current_version(db) == before


async def test_upgrade_from_an_older_version_keeps_data(tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "0001_notes.sql").write_text(V1)
    db = await _open(tmp_path / "bot.db")
    await migrate(db, migrations_in(folder))
    await db.execute("INSERT INTO notes (body) VALUES ('kept')")
    (folder / "0002_mood.sql").write_text(V2)
    applied = await migrate(db, migrations_in(folder))
    assert [m.name for m in applied] == ["mood"]
    row = await db.fetch_one("SELECT body, mood FROM notes")
    assert row is not None
    assert (row["body"], row["mood"]) == ("kept", "ok")
    await db.close()


async def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "0001_notes.sql").write_text(V1)
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (id INTEGER);\nNOT SQL AT ALL;")
    db = await _open(tmp_path / "bot.db")
    with pytest.raises(MigrationError, match="0002_broken"):
        await migrate(db, migrations_in(folder))
    assert await current_version(db) == 1
    assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'half'") is None
    await db.close()


def test_migration_numbers_must_not_have_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text(V1)
    (tmp_path / "0003_c.sql").write_text(V2)
    with pytest.raises(ValueError, match="without gaps"):
        migrations_in(tmp_path)


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    await db.execute("INSERT INTO bot_meta (key, value) VALUES ('a', '1')")

    async def change_then_fail() -> None:
        async with db.transaction() as conn:
            await conn.execute("UPDATE bot_meta SET value = '2' WHERE key = 'a'")
            await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('b', '1')")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await change_then_fail()
    rows = await db.fetch_all("SELECT key, value FROM bot_meta ORDER BY key")
    assert [tuple(r) for r in rows] == [("a", "1")]


async def test_transaction_commits_on_success(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('a', '1')")
    assert await db.fetch_one("SELECT value FROM bot_meta WHERE key = 'a'") is not None


async def test_backup_while_open_copies_committed_data(db: Database, tmp_path: Path) -> None:
    await db.execute("INSERT INTO bot_meta (key, value) VALUES ('kept', 'yes')")
    target = tmp_path / "backups" / "copy.db"
    await db.backup(target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT value FROM bot_meta WHERE key='kept'").fetchone() == ("yes",)


async def test_setup_changes_reach_the_cached_server_settings_at_once(db: Database) -> None:
    """/win and /rejection log read cached settings; /setup must not leave them stale."""
    settings = GuildSettingsRepository(db)
    assert await settings.celebration(7) is None
    assert await settings.timezone(7) is None
    await settings.set_celebration(7, 70, "friday", "17:00", "Europe/Madrid", "2026-11-29")
    assert await settings.celebration(7) == CelebrationSettings(
        7, 70, "friday", "17:00", "Europe/Madrid"
    )
    assert await settings.timezone(7) == "Europe/Madrid"
    weekly = AccountabilitySettings(7, 71, "monday", "09:00", None, None, "America/Bogota")
    await settings.set_accountability(weekly, "2026-11-29")
    assert await settings.timezone(7) == "America/Bogota"
    celebration = await settings.celebration(7)
    assert celebration is not None
    assert celebration.timezone == "America/Bogota"
