"""The database port: the few calls repositories make, whichever backend is behind them.

Two adapters implement it: `Database` (one SQLite file, the embedded default)
and `PostgresDatabase` (a pool, for instances that outgrow one process).
Repositories write `?` or `:name` placeholders; the PostgreSQL adapter
translates them, so portable SQL stays one string. Where the dialects must
differ, a repository keeps both statements side by side, picked by `dialect`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgres"]
Params = Sequence[Any] | dict[str, Any]
# Told each statement's round trip in seconds: the one place `/metrics` learns query time.
QueryTimer = Callable[[float], None]


def untimed(seconds: float) -> None:
    """Drop the reading: tools and tests that keep no metrics."""
    del seconds


class _Timed:
    """A class rather than a generator: every statement enters one, so it should cost little."""

    __slots__ = ("_record", "_started")

    def __init__(self, record: QueryTimer) -> None:
        self._record = record
        self._started = 0.0

    def __enter__(self) -> None:
        self._started = time.perf_counter()

    def __exit__(self, *failure: object) -> None:
        self._record(time.perf_counter() - self._started)


_NOT_TIMED = nullcontext()


def timed(record: QueryTimer) -> AbstractContextManager[None]:
    """Report how long the block's statement took, failed ones too (a timeout is slow).

    Nothing is timed for `untimed` (no `/metrics` to show it on).
    """
    return _NOT_TIMED if record is untimed else _Timed(record)


class StorageError(Exception):
    """The database refused or could not be reached; the driver's error is the cause."""


class Row(Protocol):
    """A result row, by column name or position (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Iterable[str]:
        """Column names, so `dict(row)` works."""
        ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and its parameters, to run as part of a batch (group commit)."""

    sql: str
    params: Params = ()
    # Run just before it in the same transaction, their rows dropped: the locks a
    # statement needs first where one statement alone is not atomic (PostgreSQL).
    first: tuple[Statement, ...] = ()


# What each statement of a batch came to: its rows (RETURNING), or the error it raised.
Outcome = list[Row] | StorageError
# Chooses a batch's statements once the adapter holds its write lock (see `run_together`).
Picker = Callable[[], Sequence[Statement]]


class Executor(Protocol):
    """Statements, inside a transaction or on their own."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write; return the affected row count."""
        ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row, or None."""
        ...

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row."""
        ...

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """Run one write with a RETURNING clause and return its rows."""
        ...


class Transaction(Executor, Protocol):
    """An open transaction: everything sent through it commits or rolls back together."""

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one write once per row of parameters."""
        ...


class Store(Executor, Protocol):
    """A connected database: single statements, and transactions for several."""

    @property
    def dialect(self) -> Dialect:
        """Which SQL the database speaks, for the few statements that differ."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Commit the block on success, roll it back on any error."""
        ...

    async def run_together(self, pick: Picker) -> list[Outcome]:
        """Run `pick()`'s statements in one transaction; one outcome per statement, in order.

        `pick` is called once no other transaction of this process can start, so what
        it chooses is decided atomically with every other transaction (a member
        forgotten meanwhile is left out). A statement that fails gets its error as its
        outcome and the others are run again without it, so one bad write fails only
        itself.
        """
        ...

    async def connect(self) -> None:
        """Open the connection (or pool)."""
        ...

    async def close(self) -> None:
        """Wait for running transactions, then close; safe to call twice."""
        ...
