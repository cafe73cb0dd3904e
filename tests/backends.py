"""Fresh databases of each backend for tests: a SQLite file, or a PostgreSQL database.

PostgreSQL tests need a server: `eval "$(.ci/postgres.sh start)"` starts a
throwaway one and exports BOUNCEBACK_TEST_POSTGRES_URL. Without it they skip
with one line locally, and fail in CI (env CI set), where a skip would hide a
backend nobody tested. Each test gets its own database, created and dropped
around it, so tests stay independent.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from bot.storage.connect import database_for, is_postgres
from bot.storage.port import Store

POSTGRES_ENV = "BOUNCEBACK_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgres")
_numbers = itertools.count()


def postgres_server() -> str:
    """Return the test server's URL, or skip (locally) / fail (in CI) when there is none."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set; CI must test PostgreSQL (.ci/postgres.sh)")
    pytest.skip(f'PostgreSQL: set {POSTGRES_ENV} (eval "$(.ci/postgres.sh start)")')


def with_database(server: str, name: str) -> str:
    """Point the server URL at database `name`."""
    return urlsplit(server)._replace(path=f"/{name}").geturl()


@asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """Create an empty database for one test and drop it afterwards."""
    server = postgres_server()
    name = f"bb_test_{os.getpid()}_{next(_numbers)}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield with_database(server, name)
    finally:
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def fresh_url(backend: str, folder: Path) -> AsyncIterator[str]:
    """Yield a URL for an empty database of `backend` (a new file under `folder` for SQLite)."""
    if backend == "postgres":
        async with fresh_postgres() as url:
            yield url
    else:
        yield f"sqlite:///{folder / f'bounceback-{next(_numbers)}.db'}"  # the adapter makes the folder


async def reopen(db: Store) -> Store:
    """Open a second, independent connection to the same database (as another process would)."""
    url = getattr(db, "url", None)
    other = database_for(url) if isinstance(url, str) and is_postgres(url) else None
    if other is None:
        other = database_for("sqlite:///", Path(db.path))  # type: ignore[attr-defined]
    await other.connect()
    return other
