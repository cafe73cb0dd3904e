"""Group commit's batches on SQLite, committed on the event loop's own thread.

A batch is a few small INSERTs in one transaction: on a WAL file with
`synchronous = NORMAL` a commit appends to the log and does not wait for the disk,
so the whole batch takes tens of microseconds, less than the trip to aiosqlite's
thread and back (the GIL changes hands twice) that it used to make. Two things
could still make it wait, and neither may stall the loop:

- another process holding the file's write lock (a second bot process sharing the
  file, `bounceback db ...`): the loop's connection never waits for it
  (`busy_timeout = 0`); the batch goes to the database thread, which may wait.
- a checkpoint (copying the log back into the database, with an fsync): the loop's
  connection never checkpoints on its own (`wal_autocheckpoint = 0`); every
  `CHECKPOINT_EVERY` batches the database thread runs a PASSIVE one (between
  writes, as a write: a few milliseconds every few hundred batches), which waits
  for no reader.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.storage.port import Outcome, Row, Statement, StorageError
from bot.storage.sqlite_connections import BUSY_TIMEOUT_MS, TEMP_IN_MEMORY

# About what SQLite's own automatic checkpoint allows (1,000 pages) with a few pages a batch.
CHECKPOINT_EVERY = 250
Batch = tuple[list[Outcome], list[float]]


class FileBusy(Exception):
    """Another process holds the file's write lock; the batch was not started."""


def _failure(exc: sqlite3.Error) -> StorageError:
    failed = StorageError(str(exc))
    failed.__cause__ = exc
    return failed


def _begin(conn: sqlite3.Connection, *, busy_raises: bool) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        # The primary code: BUSY_RECOVERY, BUSY_SNAPSHOT... are the same "not now".
        if busy_raises and exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            raise FileBusy from exc
        raise


def run_batch(
    conn: sqlite3.Connection, statements: list[Statement], *, busy_raises: bool = False
) -> Batch:
    """Commit every statement that succeeds in one transaction.

    Returns each statement's outcome, and how long each statement sent took. With
    `busy_raises`, a write lock held elsewhere raises FileBusy before anything ran.
    """
    outcomes: dict[int, Outcome] = {}
    took: list[float] = []
    todo = list(range(len(statements)))
    while todo:
        rows: dict[int, list[Row]] = {}
        try:
            _begin(conn, busy_raises=busy_raises)  # nothing is committed before the last round
            for index in todo:
                statement = statements[index]
                params: Any = statement.params
                started = time.perf_counter()
                try:
                    for before in statement.first:
                        conn.execute(before.sql, before.params)
                    rows[index] = conn.execute(statement.sql, params).fetchall()
                except sqlite3.Error as exc:
                    outcomes[index] = _failure(exc)  # this one fails alone; the rest go again
                    todo.remove(index)
                    break
                finally:
                    took.append(time.perf_counter() - started)
            else:
                conn.execute("COMMIT")
                outcomes.update(rows)
                todo = []
        except sqlite3.Error as exc:  # BEGIN or COMMIT failed: nothing of this round is kept
            outcomes.update(dict.fromkeys(todo, _failure(exc)))
            todo = []
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    return [outcomes[index] for index in range(len(statements))], took


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(TEMP_IN_MEMORY)
        conn.execute("PRAGMA busy_timeout = 0")
    except BaseException:
        conn.close()
        raise
    return conn


class LoopWriter:
    """The connection group commit writes through on the event loop (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._batches = 0

    @classmethod
    async def open(cls, path: Path) -> LoopWriter:
        """Open the connection off the loop, waiting out a lock another process holds a moment.

        Setting `synchronous` reads the file, which another process switching a new file
        to WAL (or recovering its log) shuts out for an instant; only after that does the
        connection stop waiting for locks, as everything it does later is on the loop.
        """
        return cls(await asyncio.to_thread(_connect, path))

    def run(self, statements: list[Statement]) -> Batch | None:
        """Commit a batch now; None if another process holds the write lock this instant."""
        try:
            done = run_batch(self._conn, statements, busy_raises=True)
        except FileBusy:
            return None
        self._batches += 1
        return done

    def checkpoint_due(self) -> bool:
        """Say whether the database thread should checkpoint now (every CHECKPOINT_EVERY)."""
        return self._batches % CHECKPOINT_EVERY == 0

    def close(self) -> None:
        """Close the connection (the caller holds the write lock: no batch is running)."""
        self._conn.close()
