"""Several processes starting on one fresh database at the same moment all come up.

Two bot processes (or `bounceback db migrate` next to a starting bot) used to race:
both read version 0, and the second died on "table ... already exists". Each round
below starts the migrators together behind a barrier on a brand-new database; every
one must succeed and every version must be recorded exactly once.

The backend is a fixture parameter: SQLite files, and PostgreSQL databases (where
an advisory lock does what SQLite's write lock does).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.storage.connect import database_for, sqlite_file
from bot.storage.migrate import bundled_migrations, migrate
from tests.backends import postgres_server, with_database

ROUNDS = 4
PROCESSES = 3
CONNECTIONS = 3
WAIT_S = 60


@dataclass(frozen=True)
class Backend:
    """How a test gets fresh databases of one kind and reads back what was recorded."""

    name: str
    fresh: Callable[[Path, int], str]  # a database URL
    recorded_versions: Callable[[str], list[int]]


def _sqlite_fresh(tmp_path: Path, round_no: int) -> str:
    return f"sqlite:///{tmp_path / f'round-{round_no}' / 'bounceback.db'}"


def _sqlite_versions(url: str) -> list[int]:
    with sqlite3.connect(sqlite_file(url)) as conn:
        rows = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    return [int(row[0]) for row in rows]


async def _admin(statement: str) -> None:
    admin = await asyncpg.connect(postgres_server())
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


def _on_server(statement: str) -> None:
    """Run one statement on the server, also from inside a running event loop."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, _admin(statement)).result()


def _pg_name(tmp_path: Path, round_no: int) -> str:
    return f"bb_migrate_{abs(hash(tmp_path)) % 10**8}_{round_no}"


def _pg_fresh(tmp_path: Path, round_no: int) -> str:
    name = _pg_name(tmp_path, round_no)
    _on_server(f'CREATE DATABASE "{name}"')
    return with_database(postgres_server(), name)


async def _pg_fetch_versions(url: str) -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT version FROM schema_version ORDER BY version")
    finally:
        await conn.close()
    return [int(row[0]) for row in rows]


def _pg_versions(url: str) -> list[int]:
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _pg_fetch_versions(url)).result()


SQLITE = Backend(name="sqlite", fresh=_sqlite_fresh, recorded_versions=_sqlite_versions)
POSTGRES = Backend(name="postgres", fresh=_pg_fresh, recorded_versions=_pg_versions)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Every backend the project supports; PostgreSQL databases are dropped afterwards."""
    if request.param == "sqlite":
        yield SQLITE
        return
    postgres_server()  # skips (or fails in CI) without a server
    yield POSTGRES
    for round_no in range(ROUNDS):
        name = _pg_name(tmp_path, round_no)
        _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _expected() -> list[int]:
    return [m.version for m in bundled_migrations()]


def _migrate_each_round(configs: list[str], barrier: Any, results: Any) -> None:
    """Child process: for each round, wait for the others, then run `bounceback db migrate`."""
    import contextlib
    import io

    from bot.__main__ import main

    for round_no, config in enumerate(configs):
        barrier.wait(timeout=WAIT_S)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code = main(["db", "migrate", "--config", config])
            results.put((round_no, code, out.getvalue()))
        except BaseException as exc:  # noqa: BLE001 - the parent must hear of every failure
            results.put((round_no, -1, f"{type(exc).__name__}: {exc}\n{out.getvalue()}"))


def test_migrate_processes_started_together_all_succeed(backend: Backend, tmp_path: Path) -> None:
    locations = [backend.fresh(tmp_path, n) for n in range(ROUNDS)]
    configs = []
    for n, location in enumerate(locations):
        config = tmp_path / f"config-{n}.yaml"
        config.write_text(f"database:\n  url: {location}\n", encoding="utf-8")
        configs.append(str(config))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(target=_migrate_each_round, args=(configs, barrier, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        outcomes = [results.get(timeout=WAIT_S) for _ in range(ROUNDS * PROCESSES)]
        failures = [(n, code, text) for n, code, text in outcomes if code != 0]
        assert failures == []
        for worker in workers:
            worker.join(timeout=WAIT_S)
            assert worker.exitcode == 0
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
    for location in locations:
        assert backend.recorded_versions(location) == _expected()


async def _migrate_once(location: str) -> list[int]:
    db = database_for(location)
    await db.connect()
    try:
        return [m.version for m in await migrate(db)]
    finally:
        await db.close()


async def test_connections_in_one_process_migrate_together(
    backend: Backend, tmp_path: Path
) -> None:
    for round_no in range(ROUNDS):
        location = backend.fresh(tmp_path, round_no)
        applied = await asyncio.gather(*(_migrate_once(location) for _ in range(CONNECTIONS)))
        # Between them they applied each migration exactly once; none failed.
        assert sorted(v for versions in applied for v in versions) == _expected()
        assert backend.recorded_versions(location) == _expected()
