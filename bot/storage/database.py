"""The SQLite adapter of the database port: one connection, WAL, busy timeout, a write lock.

A single aiosqlite connection keeps writes ordered and cheap; an asyncio lock
makes `transaction()` blocks from concurrent handlers take turns instead of
interleaving statements inside one another's BEGIN ... COMMIT.

Reads share that connection, so a read sent while another task's transaction
is open would see its uncommitted rows (and rows it later rolls back). Reads
therefore wait until no transaction is open, without taking the lock: outside
transactions they go straight to the database thread, queued behind nothing of
ours, and any BEGIN queued after them runs after them.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

import aiosqlite

from bot.storage.port import Params, Row, StorageError, Transaction

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


class _SqliteTransaction:
    """The open transaction on the shared connection (the caller holds the write lock)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        count = cursor.rowcount
        await cursor.close()
        return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            await self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return next(iter(await self.fetch_all(sql, params)), None)

    execute_returning = fetch_all


class Database:
    """Owns the connection; repositories borrow it through the methods below."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
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

    async def close(self) -> None:
        """Wait for any running transaction, then close; safe to call twice."""
        async with self._write_lock:
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
                    yield _SqliteTransaction(conn)
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
        """Read one committed row (one round trip to the database thread)."""
        await self._committed_state()
        try:
            rows = await self.conn.execute_fetchall(sql, params)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Read all committed rows (one round trip to the database thread)."""
        await self._committed_state()
        try:
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
                return list(await self.conn.execute_fetchall(sql, params))
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc

    async def backup(self, destination: Path) -> None:
        """Copy the live database with SQLite's online backup; safe while the bot runs."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            await self._committed_state()
            await self.conn.backup(target)
        finally:
            target.close()
