"""What the PostgreSQL adapter adds over SQLite: a statement timeout and driver errors kept inside.

A stuck query must fail the command it belongs to (the member gets the kind error message)
instead of holding a pooled connection and the member's interaction forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage.migrate import migrate
from bot.storage.port import StorageError
from bot.storage.postgres import PostgresDatabase
from tests.backends import fresh_postgres


@pytest.fixture
async def quick_to_give_up() -> AsyncIterator[PostgresDatabase]:
    async with fresh_postgres() as url:
        db = PostgresDatabase(url, pool_size=2, statement_timeout_s=0.2)
        await db.connect()
        await migrate(db)  # migrations lift the timeout for themselves
        yield db
        await db.close()


async def _write_then_hang(db: PostgresDatabase) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO bot_meta (key, value) VALUES ('a', 'b')")
        await tx.fetch_one("SELECT pg_sleep(5)")


async def test_a_stuck_statement_fails_with_a_storage_error_and_the_pool_goes_on(
    quick_to_give_up: PostgresDatabase,
) -> None:
    db = quick_to_give_up
    with pytest.raises(StorageError, match="statement timeout"):
        await db.fetch_one("SELECT pg_sleep(5)")
    with pytest.raises(StorageError, match="statement timeout"):
        await _write_then_hang(db)
    assert await db.fetch_one("SELECT value FROM bot_meta WHERE key = 'a'") is None  # rolled back
    assert await db.execute("INSERT INTO bot_meta (key, value) VALUES (?, ?)", ("a", "c")) == 1


async def test_an_unreachable_server_is_a_storage_error_that_names_it() -> None:
    db = PostgresDatabase(
        "postgresql://bounceback@127.0.0.1:9/none", pool_size=1, statement_timeout_s=1
    )
    with pytest.raises(StorageError, match="cannot reach PostgreSQL"):
        await db.connect()
