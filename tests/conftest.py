"""Fixtures shared by every test layer."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config, DatabaseConfig
from bot.storage.connect import database_for
from bot.storage.database import Database
from bot.storage.migrate import migrate
from bot.storage.port import Store
from tests.backends import BACKENDS, fresh_url

REPO = Path(__file__).resolve().parent.parent
SEED = 20261129  # every random draw in a test run is repeatable


@pytest.fixture(autouse=True)
def seeded_random() -> Iterator[None]:
    """Seed the module-level generator too (wording variants without their own stream)."""
    state = random.getstate()
    random.seed(SEED)
    yield
    random.setstate(state)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Defaults, with the database in a fresh temporary folder and the shipped content."""
    db = DatabaseConfig(path=str(tmp_path / "data" / "bounceback.db"))
    return replace(Config(), database=db, base_dir=str(REPO))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: "sqlite", then "postgres" (skipped locally without a server)."""
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """Yield the URL of an empty database of the test's backend, dropped after the test."""
    async with fresh_url(backend, tmp_path / "databases") as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Store]:
    """Yield a migrated database of each backend in turn."""
    database = database_for(database_url)
    await database.connect()
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """Yield a migrated database on a real SQLite file, for SQLite-only behaviour."""
    database = Database(tmp_path / "test.db")
    await database.connect()
    await migrate(database)
    yield database
    await database.close()
