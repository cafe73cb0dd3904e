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
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any, Literal

import asyncpg

from bot.storage.placeholders import Translated, translate
from bot.storage.port import Params, Row, StorageError, Transaction

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

    def __init__(self, conn: asyncpg.Connection, statements: _Statements) -> None:
        self._conn = conn
        self._statements = statements

    async def execute(self, sql: str, params: Params = ()) -> int:
        text, args = self._statements.args(sql, params)
        try:
            return affected(await self._conn.execute(text, *args))
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        pairs = [self._statements.args(sql, params) for params in rows]
        if not pairs:
            return
        try:
            await self._conn.executemany(pairs[0][0], [args for _, args in pairs])
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        text, args = self._statements.args(sql, params)
        try:
            return list(await self._conn.fetch(text, *args))
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

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
    ) -> None:
        self.url = url
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
                    yield _PostgresTransaction(conn, self._statements)
            except _FAILED as exc:
                raise StorageError(str(exc)) from exc
            finally:
                await self.pool.release(conn)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write on its own (autocommit); return the affected row count."""
        text, args = self._statements.args(sql, params)
        try:
            return affected(await self.pool.execute(text, *args))
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One write with a RETURNING clause, in a single round trip."""
        text, args = self._statements.args(sql, params)
        try:
            return list(await self.pool.fetch(text, *args))
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Read committed rows; tried once more if the connection died under it."""
        text, args = self._statements.args(sql, params)
        try:
            try:
                return list(await self.pool.fetch(text, *args))
            except _STALE:
                return list(await self.pool.fetch(text, *args))
        except _FAILED as exc:
            raise StorageError(str(exc)) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Read one committed row (see fetch_all)."""
        return next(iter(await self.fetch_all(sql, params)), None)
