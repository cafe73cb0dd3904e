"""The PostgreSQL adapter of the database port: an asyncpg pool, for more than one process.

Repository SQL keeps SQLite's `?` and `:name` placeholders (one portable string
for both backends); each statement is translated to `$1, $2 ...` once and the
translation cached. Every statement has a server-side timeout, so a stuck
query fails a command instead of hanging it.

A server restart closes every pooled connection; asyncpg notices and opens a
fresh one on the next acquire. A read that still meets a dead connection is
tried once more; a write is not (it may have run), so the member gets the kind
error message and can try again.

Transactions take turns within a process, as on SQLite: the in-memory state
some repositories keep beside their rows (the tip history's queue) is decided
under that lock, atomically with /forget-me. Single statements run in parallel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal

import asyncpg

from bot.storage.placeholders import Translated, translate
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

CONNECT_TIMEOUT_S = 5.0
# The errors that mean "the connection or the server went away", not "the SQL was wrong".
_LOST = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.InterfaceError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)
_FAILED = (asyncpg.PostgresError, *_LOST)
# A read is tried again only when its connection was found dead (a server restart), not
# after a timeout (it would wait twice) or a refused connection (the server is still down).
_STALE = (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.InterfaceError)


@contextmanager
def _query(on_query: QueryTimer) -> Iterator[None]:
    """Time one statement, failed ones too, and report a driver failure as the port's StorageError."""
    try:
        with timed(on_query):
            yield
    except _FAILED as exc:
        raise StorageError(str(exc)) from exc


def affected(status: str) -> int:
    """Rows a command touched, from asyncpg's status text ("INSERT 0 3" -> 3)."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset on release: one more round trip per statement, for nothing.

    The reset undoes session state (SET, LISTEN, session advisory locks, open
    cursors); Bounceback creates none: its settings are per connection, its
    locks per transaction.
    """
    del conn


class _Statements:
    """Placeholder translations, kept per adapter (a few dozen distinct statements)."""

    def __init__(self) -> None:
        self._cache: dict[str, Translated] = {}

    def args(self, sql: str, params: Params) -> tuple[str, list[Any]]:
        if not params:
            return sql, []  # nothing to number (migration scripts among them)
        found = self._cache.get(sql)
        if found is None:
            found = self._cache[sql] = translate(sql)
        return found.sql, found.arguments(params)


class _PostgresTransaction:
    """One pooled connection inside BEGIN ... COMMIT."""

    def __init__(
        self, conn: asyncpg.Connection, statements: _Statements, on_query: QueryTimer
    ) -> None:
        self._conn = conn
        self._statements = statements
        self._on_query = on_query

    @property
    def connection(self) -> asyncpg.Connection:
        """The pooled connection the transaction runs on (group commit opens its own)."""
        return self._conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        text, args = self._statements.args(sql, params)
        with _query(self._on_query):
            return affected(await self._conn.execute(text, *args))

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        pairs = [self._statements.args(sql, params) for params in rows]
        if not pairs:
            return
        with _query(self._on_query):
            await self._conn.executemany(pairs[0][0], [args for _, args in pairs])

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        text, args = self._statements.args(sql, params)
        with _query(self._on_query):
            return list(await self._conn.fetch(text, *args))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return next(iter(await self.fetch_all(sql, params)), None)

    execute_returning = fetch_all


class PostgresDatabase:
    """Owns the pool; repositories borrow connections through the methods below."""

    dialect: Literal["postgres"] = "postgres"

    def __init__(
        self,
        url: str,
        *,
        pool_size: int,
        statement_timeout_s: float,
        on_query: QueryTimer = untimed,
    ) -> None:
        self.url = url
        self._on_query = on_query
        self._pool_size = pool_size
        self._timeout_s = statement_timeout_s
        self._pool: asyncpg.Pool | None = None
        self._statements = _Statements()
        self._transactions = asyncio.Lock()

    async def connect(self) -> None:
        """Open the pool (one connection now, more on demand); fail fast if unreachable."""
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=self._pool_size,
                timeout=CONNECT_TIMEOUT_S,
                command_timeout=self._timeout_s + 1,
                server_settings={
                    "statement_timeout": str(int(self._timeout_s * 1000)),
                    "application_name": "bounceback",
                },
                reset=_keep_session,
            )
        except _FAILED as exc:
            raise StorageError(f"cannot reach PostgreSQL: {exc}") from exc

    async def close(self) -> None:
        """Wait for any running transaction, then close the pool; safe to call twice."""
        async with self._transactions:
            if self._pool is not None:
                pool, self._pool = self._pool, None
                await pool.close()

    @property
    def pool(self) -> asyncpg.Pool:
        """The open pool; raises RuntimeError before `connect()` or after `close()`."""
        if self._pool is None:
            raise RuntimeError("database is not connected")
        return self._pool

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run a block atomically on one connection: commit on success, roll back on error."""
        async with self._transactions:
            try:
                conn = await self.pool.acquire(timeout=CONNECT_TIMEOUT_S)
            except _FAILED as exc:
                raise StorageError(str(exc)) from exc
            try:
                async with conn.transaction():
                    yield _PostgresTransaction(conn, self._statements, self._on_query)
            except _FAILED as exc:
                raise StorageError(str(exc)) from exc
            finally:
                await self.pool.release(conn)

    async def run_together(self, pick: Picker) -> list[Outcome]:
        """Run statements in one transaction on one pooled connection (group commit).

        `pick` is called under the transaction lock, so what it chooses is decided
        atomically with every other transaction of this process (a member forgotten
        meanwhile is left out). A statement that fails aborts the transaction; it gets
        its error as its outcome and the others run again without it, in a fresh one.
        """
        async with self._transactions:
            statements = list(pick())
            if not statements:
                return []
            try:
                conn = await self.pool.acquire(timeout=CONNECT_TIMEOUT_S)
            except _FAILED as exc:
                failed = StorageError(str(exc))
                failed.__cause__ = exc
                return [failed] * len(statements)
            try:
                return await _run_together(
                    _PostgresTransaction(conn, self._statements, self._on_query), statements
                )
            finally:
                await self.pool.release(conn)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write on its own (autocommit); return the affected row count."""
        text, args = self._statements.args(sql, params)
        with _query(self._on_query):
            return affected(await self.pool.execute(text, *args))

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One write with a RETURNING clause, in a single round trip."""
        text, args = self._statements.args(sql, params)
        with _query(self._on_query):
            return list(await self.pool.fetch(text, *args))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Read committed rows; tried once more if the connection died under it."""
        text, args = self._statements.args(sql, params)
        with _query(self._on_query):
            try:
                return list(await self.pool.fetch(text, *args))
            except _STALE:
                return list(await self.pool.fetch(text, *args))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Read one committed row (see fetch_all)."""
        return next(iter(await self.fetch_all(sql, params)), None)


async def _run_together(tx: _PostgresTransaction, statements: list[Statement]) -> list[Outcome]:
    """Commit every statement that succeeds in one transaction on `tx`'s connection."""
    outcomes: dict[int, Outcome] = {}
    todo = list(range(len(statements)))
    while todo:
        rows: dict[int, list[Row]] = {}
        current = todo[0]
        try:
            async with tx.connection.transaction():
                for current in todo:
                    statement = statements[current]
                    for before in statement.first:
                        await tx.fetch_all(before.sql, before.params)
                    rows[current] = await tx.fetch_all(statement.sql, statement.params)
        except StorageError as exc:  # this one fails alone; the rest go again
            outcomes[current] = exc
            todo.remove(current)
            continue
        except _FAILED as exc:  # BEGIN or COMMIT failed: nothing of this round is kept
            lost = StorageError(str(exc))
            lost.__cause__ = exc
            outcomes.update(dict.fromkeys(todo, lost))
            break
        outcomes.update(rows)
        break
    return [outcomes[index] for index in range(len(statements))]
