"""The database query time in `/metrics` comes from the port: every statement, both backends.

An operator reads `bounceback_database_query_seconds` to tell a slow database from a slow
bot; a statement the adapter forgot to time would make a slow database look fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage.connect import database_for
from bot.storage.migrate import migrate
from bot.storage.port import Statement, StorageError, Store

INSERT = "INSERT INTO bot_meta (key, value) VALUES (?, ?)"
Timed = tuple[Store, list[float]]


@pytest.fixture
async def timed(database_url: str) -> AsyncIterator[Timed]:
    """Yield a migrated database and the statement times it reported since migrating."""
    readings: list[float] = []
    db = database_for(database_url, on_query=readings.append)
    await db.connect()
    try:
        await migrate(db)
        readings.clear()
        yield db, readings
    finally:
        await db.close()


async def test_every_statement_on_either_backend_reports_its_time(timed: Timed) -> None:
    db, readings = timed
    assert await db.execute(INSERT, ("a", "1")) == 1
    assert await db.fetch_one("SELECT value FROM bot_meta WHERE key = ?", ("a",))
    assert await db.fetch_all("SELECT key FROM bot_meta")
    changed = "UPDATE bot_meta SET value = ? WHERE key = ? RETURNING key"
    assert await db.execute_returning(changed, ("2", "a"))
    async with db.transaction() as tx:
        await tx.execute(INSERT, ("b", "1"))
        await tx.execute_many(INSERT, [("c", "1"), ("d", "1")])
        assert await tx.fetch_all("SELECT key FROM bot_meta")
    assert len(readings) == 7
    with pytest.raises(StorageError):
        await db.execute(INSERT, ("a", "again"))  # the key exists: a failed statement
    assert len(readings) == 8  # a failure took time too (a timeout is the slowest kind)
    assert all(seconds >= 0 for seconds in readings)


async def test_group_commit_batches_report_every_statement_they_ran(timed: Timed) -> None:
    """/win and /rejection log go through `run_together`: their time must show in /metrics."""
    db, readings = timed
    batch = [
        Statement(INSERT + " RETURNING key", ("x", "1")),
        Statement(INSERT + " RETURNING key", ("x", "again")),  # fails: the key exists
        Statement(INSERT + " RETURNING key", ("y", "1")),
    ]
    outcomes = await db.run_together(lambda: batch)
    assert isinstance(outcomes[1], StorageError)
    assert [[row[0] for row in rows] for rows in (outcomes[0], outcomes[2])] == [["x"], ["y"]]
    assert len(readings) == 4  # x and the failure, then x and y again without it
    assert all(seconds >= 0 for seconds in readings)
