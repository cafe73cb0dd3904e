"""A fresh SQLite database and a fresh PostgreSQL database end with the same schema.

The two migration folders are written by hand, side by side; this is what
keeps them honest. A column added to one backend and forgotten in the other,
or given a type that cannot hold the same values, fails here.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.catalogue import columns, table_names
from bot.storage.connect import database_for
from bot.storage.migrate import bundled_migrations, current_version, migrate
from bot.storage.port import Store
from tests.backends import fresh_postgres

# How each SQLite type is spelled on PostgreSQL. Discord ids need 64 bits: BIGINT.
SAME_TYPE = {"INTEGER": {"bigint", "integer"}, "TEXT": {"text"}}


async def _schema(db: Store) -> dict[str, list[tuple[str, str]]]:
    return {
        table: [(c.name, c.type) for c in await columns(db, db.dialect, table)]
        for table in await table_names(db, db.dialect)
    }


async def _migrated(url: str) -> tuple[Store, int]:
    db = database_for(url)
    await db.connect()
    await migrate(db)
    return db, await current_version(db)


async def test_both_backends_end_with_the_same_tables_columns_and_version(tmp_path: Path) -> None:
    async with fresh_postgres() as pg_url:
        lite, lite_version = await _migrated(f"sqlite:///{tmp_path / 'bot.db'}")
        pg, pg_version = await _migrated(pg_url)
        try:
            lite_schema, pg_schema = await _schema(lite), await _schema(pg)
        finally:
            await lite.close()
            await pg.close()
    assert lite_version == pg_version == len(bundled_migrations("sqlite"))
    assert [m.name for m in bundled_migrations("sqlite")] == [
        m.name for m in bundled_migrations("postgres")
    ]
    assert sorted(lite_schema) == sorted(pg_schema)
    for table, lite_columns in lite_schema.items():
        assert [name for name, _ in lite_columns] == [name for name, _ in pg_schema[table]], table
        for (name, lite_type), (_, pg_type) in zip(lite_columns, pg_schema[table], strict=True):
            assert pg_type in SAME_TYPE[lite_type], f"{table}.{name}: {lite_type} vs {pg_type}"
