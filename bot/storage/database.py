"""The SQLite adapter of the database port: one connection, WAL, busy timeout, a write lock.

A single aiosqlite connection keeps writes ordered and cheap; an asyncio lock
makes `transaction()` blocks from concurrent handlers take turns instead of
interleaving statements inside one another's BEGIN ... COMMIT.

Reads wait until no other task's transaction is open, without taking the lock,
so they see committed rows only. Then they run at once on a second, read-only
connection, on the event loop's own thread: an indexed lookup takes a few
microseconds there, while a trip to aiosqlite's thread and back costs tens (the
GIL changes hands twice), which was most of what /wins or /rejection stats cost
on top of discord.py. A task inside its own transaction reads through that
transaction's connection instead, so it sees its own rows. (SQLite only: on
PostgreSQL every read is a network round trip anyway, and the pool serves it.)
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from bot.storage.port import (
    Outcome,
    Params,
    Picker,
    QueryTimer,
    Row,
    StorageError,
    Transaction,
    timed,
    untimed,
)
from bot.storage.sqlite_batch import run_batch

BUSY_TIMEOUT_MS = 5000
# The database whose transaction the current task holds: its own reads must not wait on it.
_holding: ContextVar[Database | None] = ContextVar("holding_transaction", default=None)

WAL_ATTEMPTS = 50
WAL_RETRY_S = BUSY_TIMEOUT_MS / 1000 / WAL_ATTEMPTS


async def _use_wal(conn: aiosqlite.Connection) -> None:
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


def _open_reader(path: Path) -> sqlite3.Connection:
    """Open the read-only connection the loop reads through (WAL: readers never block writers).

    It never waits for a lock (`busy_timeout = 0`: waiting would stall the event loop); a
    read it cannot do at once goes to the database thread instead.
    """
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA busy_timeout = 0")
    reader.execute("PRAGMA query_only = ON")
    return reader


class _SqliteTransaction:
    """The open transaction on the shared connection (the caller holds the write lock)."""

    def __init__(self, conn: aiosqlite.Connection, on_query: QueryTimer) -> None:
        self._conn = conn
        self._on_query = on_query

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            with timed(self._on_query):
                cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        count = cursor.rowcount
        await cursor.close()
        return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            with timed(self._on_query):
                await self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            with timed(self._on_query):
                return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return next(iter(await self.fetch_all(sql, params)), None)

    execute_returning = fetch_all


class Database:
    """Owns the connection; repositories borrow it through the methods below."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, path: Path, *, on_query: QueryTimer = untimed) -> None:
        self.path = path
        self._on_query = on_query
        self._conn: aiosqlite.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._no_transaction = asyncio.Event()
        self._no_transaction.set()

    async def connect(self) -> None:
        """Open the file (creating its folder) and set the PRAGMAs every connection needs."""
        if self.path != Path(":memory:"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await _use_wal(conn)
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        if self.path != Path(":memory:"):  # a second connection to :memory: is another database
            self._reader = _open_reader(self.path)

    async def close(self) -> None:
        """Wait for any running transaction, then close; safe to call twice."""
        async with self._write_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            if self._conn is not None:
                await self._conn.close()
                self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        """The open connection; raises RuntimeError before `connect()` or after `close()`."""
        if self._conn is None:
            raise RuntimeError("database is not connected")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run a block atomically: commit on success, roll back on any error."""
        async with self._write_lock:
            conn = self.conn
            self._no_transaction.clear()
            holding = _holding.set(self)
            try:
                try:
                    await conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as exc:
                    raise StorageError(str(exc)) from exc
                try:
                    yield _SqliteTransaction(conn, self._on_query)
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                await conn.execute("COMMIT")
            finally:
                _holding.reset(holding)
                self._no_transaction.set()

    async def _committed_state(self) -> None:
        """Wait until no other task's transaction is open, so a read sees committed rows only.

        No await follows this before the read is queued, so a BEGIN can only be
        queued after the read, never between the check and it.
        """
        while not self._no_transaction.is_set() and _holding.get() is not self:
            await self._no_transaction.wait()

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Read one committed row."""
        return next(iter(await self.fetch_all(sql, params)), None)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Read all committed rows: on the loop when it can, else on the database thread."""
        await self._committed_state()
        if self._reader is not None and _holding.get() is not self:
            # Busy (a checkpoint, another process): the database thread may wait, the loop not.
            with contextlib.suppress(sqlite3.OperationalError), timed(self._on_query):
                query: Any = params
                return list(self._reader.execute(sql, query).fetchall())
        try:
            with timed(self._on_query):
                return list(await self.conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write on its own; return the affected row count.

        A single statement is atomic in autocommit mode, so no BEGIN/COMMIT is
        needed; the lock keeps it from landing inside another coroutine's
        transaction on this shared connection.
        """
        async with self._write_lock:
            try:
                with timed(self._on_query):
                    cursor = await self.conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc
            count = cursor.rowcount
            await cursor.close()
            return count

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One write with a RETURNING clause, in a single round trip (the hot paths use it)."""
        async with self._write_lock:
            try:
                with timed(self._on_query):
                    return list(await self.conn.execute_fetchall(sql, params))
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc

    async def run_together(self, pick: Picker) -> list[Outcome]:
        """Run statements in one transaction, in one trip to the database thread.

        `pick` is called once the write lock is held, so what it chooses is decided
        atomically with every other write (a member forgotten meanwhile is left out).
        A statement that fails gets its error as its outcome and the others are run
        again without it in a fresh transaction, so one bad write fails only itself.
        """
        async with self._write_lock:
            statements = list(pick())
            if not statements:
                return []
            conn = self.conn
            # aiosqlite has no public "run this function on the connection's thread";
            # `_execute` is how its own methods do it, and `_conn` is the sqlite3 connection.
            outcomes: list[Outcome]
            took: list[float]
            outcomes, took = await conn._execute(  # type: ignore[no-untyped-call]
                run_batch, conn._conn, statements
            )
            for seconds in took:  # reported here: the timing hook belongs to the loop's thread
                self._on_query(seconds)
            return outcomes

    async def backup(self, destination: Path) -> None:
        """Copy the live database with SQLite's online backup; safe while the bot runs."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            await self._committed_state()
            await self.conn.backup(target)
        finally:
            target.close()
