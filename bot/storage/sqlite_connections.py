"""The SQLite adapter's connections: the shared one's start-up, the loop's reader, a transaction.

Split from `database.py`, which decides what runs where; this holds how each
connection is opened and how a transaction on the shared one reads and writes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import aiosqlite

from bot.storage.port import Params, QueryTimer, Row, StorageError, timed

BUSY_TIMEOUT_MS = 5000
# The scratch tables SQLite builds for COUNT(DISTINCT ...), sorting and grouping live in
# memory, not in temporary files: /rejection stats' four group figures took 49 us in the bot
# with files, 37 us in memory (on a bare connection, 140 against 15).
TEMP_IN_MEMORY = "PRAGMA temp_store = MEMORY"
WAL_ATTEMPTS = 50
WAL_RETRY_S = BUSY_TIMEOUT_MS / 1000 / WAL_ATTEMPTS


async def use_wal(conn: aiosqlite.Connection) -> None:
    """Switch the file to WAL, waiting while another process opening it does the same.

    WAL is a property of the file, so this is a no-op after the first start. On a
    brand-new file two processes may race to switch it, and SQLite answers the
    loser "database is locked" at once instead of calling the busy handler.
    """
    for attempt in range(WAL_ATTEMPTS):
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            await asyncio.sleep(WAL_RETRY_S)


def open_reader(path: Path) -> sqlite3.Connection:
    """Open the read-only connection the loop reads through (WAL: readers never block writers).

    It never waits for a lock (`busy_timeout = 0`: waiting would stall the event loop); a
    read it cannot do at once goes to the database thread instead.
    """
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA busy_timeout = 0")
    reader.execute("PRAGMA query_only = ON")
    reader.execute(TEMP_IN_MEMORY)
    return reader


class SqliteTransaction:
    """Statements on the shared connection while the caller holds the write lock.

    Inside a transaction, or one statement on its own (`Database.execute`).
    """

    def __init__(self, conn: aiosqlite.Connection, on_query: QueryTimer) -> None:
        self._conn = conn
        self._on_query = on_query

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement inside the transaction; return the affected row count."""
        try:
            with timed(self._on_query):
                cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        count = cursor.rowcount
        await cursor.close()
        return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement per row inside the transaction."""
        try:
            with timed(self._on_query):
                await self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Read through the transaction's connection, so its own rows are seen."""
        try:
            with timed(self._on_query):
                return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Read one row through the transaction's connection."""
        return next(iter(await self.fetch_all(sql, params)), None)

    execute_returning = fetch_all
