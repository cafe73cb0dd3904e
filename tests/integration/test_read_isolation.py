"""Reads on the shared connection see committed rows only, never another task's open transaction.

Each test holds a transaction open across an await while another task reads.
The writer runs one more statement after the read was issued: the database
thread takes work in order, so a read queued inside the transaction would be
answered before that statement, and the order of events shows which happened.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.storage.database import Database
from bot.storage.port import StorageError, Transaction

WAIT = 5  # seconds; only reached when something hangs
GUILD = 4242


class Abandoned(Exception):
    """The writer gives up its transaction on purpose."""


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    """SQLite-only behaviour: this module runs on the SQLite adapter alone."""
    return sqlite_db


async def _wins(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT text FROM wins WHERE guild_id = ? ORDER BY id", (GUILD,))
    return [str(row["text"]) for row in rows]


ADD_WIN = (
    "INSERT INTO wins (guild_id, owner_key, user_id, text, week, day) "
    "VALUES (?, 'k', 1, ?, '2026-W48', '2026-11-23')"
)


async def _add_win(conn: Transaction, text: str) -> None:
    await conn.execute(ADD_WIN, (GUILD, text))


async def _read_during_transaction(db: Database, *, commit: bool) -> tuple[list[str], list[str]]:
    """Insert inside a transaction, read from another task meanwhile; return (order, read)."""
    order: list[str] = []
    inside, read_issued = asyncio.Event(), asyncio.Event()

    async def write() -> None:
        async with db.transaction() as conn:
            await _add_win(conn, "pending")
            inside.set()
            await asyncio.wait_for(read_issued.wait(), WAIT)
            await conn.execute("SELECT 1")  # a read queued before this one is answered first
            if not commit:
                raise Abandoned
        order.append("commit")

    async def read() -> list[str]:
        await asyncio.wait_for(inside.wait(), WAIT)
        reading = _wins(db)
        read_issued.set()  # the writer runs only once this task awaits the read below
        texts = await reading
        order.append("read")
        return texts

    writer = asyncio.create_task(write())
    texts = await asyncio.wait_for(read(), WAIT)
    if commit:
        await asyncio.wait_for(writer, WAIT)
    else:
        with pytest.raises(Abandoned):
            await asyncio.wait_for(writer, WAIT)
        order.append("rollback")
    return order, texts


async def test_a_read_during_another_tasks_transaction_waits_for_the_commit(db: Database) -> None:
    await db.execute(ADD_WIN, (GUILD, "earlier"))
    order, texts = await _read_during_transaction(db, commit=True)
    assert order == ["commit", "read"]
    assert texts == ["earlier", "pending"]


async def test_a_rolled_back_row_is_never_seen_by_a_concurrent_read(db: Database) -> None:
    order, texts = await _read_during_transaction(db, commit=False)
    assert texts == []
    assert await _wins(db) == []
    assert order[-1] == "rollback"


async def test_a_transaction_reads_its_own_rows_through_the_database(db: Database) -> None:
    async with db.transaction() as conn:
        await _add_win(conn, "mine")
        assert await asyncio.wait_for(_wins(db), WAIT) == ["mine"]
    assert await _wins(db) == ["mine"]


async def test_a_failed_begin_does_not_leave_reads_waiting(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        await db.conn.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(StorageError):
            async with db.transaction():
                pass
    finally:
        other.rollback()
        other.close()
    assert await asyncio.wait_for(_wins(db), WAIT) == []
