"""Group commit's batch on SQLite: run on aiosqlite's database thread, in one trip there."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from bot.storage.port import Outcome, Row, Statement, StorageError


def _failure(exc: sqlite3.Error) -> StorageError:
    failed = StorageError(str(exc))
    failed.__cause__ = exc
    return failed


def run_batch(
    conn: sqlite3.Connection, statements: list[Statement]
) -> tuple[list[Outcome], list[float]]:
    """Commit every statement that succeeds in one transaction (runs on the database thread).

    Returns each statement's outcome, and how long each statement sent took.
    """
    outcomes: dict[int, Outcome] = {}
    took: list[float] = []
    todo = list(range(len(statements)))
    while todo:
        rows: dict[int, list[Row]] = {}
        try:
            conn.execute("BEGIN IMMEDIATE")
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
