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
import logging
import sqlite3
from collections.abc import AsyncIterator
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
    Statement,
    StorageError,
    Transaction,
    timed,
    untimed,
)
from bot.storage.sqlite_batch import Batch, LoopWriter, run_batch
from bot.storage.sqlite_connections import (
    BUSY_TIMEOUT_MS,
    TEMP_IN_MEMORY,
    SqliteTransaction,
    open_reader,
    use_wal,
)

log = logging.getLogger(__name__)

# The database whose transaction the current task holds: its own reads must not wait on it.
_holding: ContextVar[Database | None] = ContextVar("holding_transaction", default=None)


class Database:
    """Owns the connection; repositories borrow it through the methods below."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, path: Path, *, on_query: QueryTimer = untimed) -> None:
        self.path = path
        self._on_query = on_query
        self._conn: aiosqlite.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._loop_writer: LoopWriter | None = None
        self._checkpoint: asyncio.Task[None] | None = None
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
            await use_wal(conn)
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute(TEMP_IN_MEMORY)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        if self.path != Path(":memory:"):  # a second connection to :memory: is another database
            self._reader = open_reader(self.path)
            self._loop_writer = await LoopWriter.open(self.path)

    async def close(self) -> None:
        """Wait for any running transaction, then close; safe to call twice."""
        if self._checkpoint is not None:
            await self._checkpoint
        async with self._write_lock:
            if self._loop_writer is not None:
                self._loop_writer.close()
                self._loop_writer = None
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
                    yield SqliteTransaction(conn, self._on_query)
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
            return await SqliteTransaction(self.conn, self._on_query).execute(sql, params)

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One write with a RETURNING clause, in a single round trip (the hot paths use it)."""
        async with self._write_lock:
            return await SqliteTransaction(self.conn, self._on_query).fetch_all(sql, params)

    async def run_together(self, pick: Picker) -> list[Outcome]:
        """Run statements in one transaction: on the loop (`sqlite_batch`), else the thread.

        `pick` is called once the write lock is held, so what it chooses is decided
        atomically with every other write (a member forgotten meanwhile is left out).
        A statement that fails gets its error as its outcome and the others are run
        again without it in a fresh transaction, so one bad write fails only itself.
        """
        async with self._write_lock:
            statements = list(pick())
            if not statements:
                return []
            writer = self._loop_writer
            done = writer.run(statements) if writer is not None else None
            if done is None:  # :memory:, or another process holds the lock: the thread waits
                done = await self._on_thread(statements)
            elif writer is not None and writer.checkpoint_due():
                self._checkpoint_soon()
            outcomes, took = done
            for seconds in took:
                self._on_query(seconds)
            return outcomes

    async def _on_thread(self, statements: list[Statement]) -> Batch:
        conn = self.conn
        # aiosqlite has no public "run this function on the connection's thread";
        # `_execute` is how its own methods do it, and `_conn` is the sqlite3 connection.
        done: Batch = await conn._execute(run_batch, conn._conn, statements)  # type: ignore[no-untyped-call]
        return done

    def _checkpoint_soon(self) -> None:
        """Copy the log into the database on the database thread, waiting for nobody."""
        if self._checkpoint is None or self._checkpoint.done():
            self._checkpoint = asyncio.create_task(self._passive_checkpoint())

    async def _passive_checkpoint(self) -> None:
        try:
            async with self._write_lock:  # not inside another task's transaction
                if self._conn is not None:  # closed meanwhile: nothing left to copy
                    await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:  # the next one catches up; the log only grows meanwhile
            log.warning("could not checkpoint the database log: %s", exc)

    async def backup(self, destination: Path) -> None:
        """Copy the live database with SQLite's online backup; safe while the bot runs."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            await self._committed_state()
            await self.conn.backup(target)
        finally:
            target.close()
