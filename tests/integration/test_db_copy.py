"""`bounceback db copy`: an install moves SQLite -> PostgreSQL -> SQLite with every row.

Rows are seeded through the real repositories into every table that holds
anything, copied with the command an operator types, and read back on the far
side; the counts it prints must match, and a second copy onto filled tables
must be refused unless --force.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.domain.moderation import AuditEntry
from bot.domain.schedule import PostKey
from bot.storage.audit import AuditRepository
from bot.storage.catalogue import table_names
from bot.storage.connect import database_for
from bot.storage.group_commit import GroupCommit
from bot.storage.migrate import migrate
from bot.storage.port import Store
from bot.storage.rejections import RejectionRepository
from bot.storage.scheduled_posts import ScheduledPostsRepository
from bot.storage.wins import WinsRepository
from tests.backends import fresh_postgres

GUILD = 1180000000000000001
KEY = "a" * 64
DAY = date(2026, 11, 23)


def _cli(*args: str) -> int:
    """Run `bounceback ...` as the operator would (it starts its own event loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(main, list(args)).result()


async def _open(url: str) -> Store:
    db = database_for(url)
    await db.connect()
    await migrate(db)
    return db


async def _seed(url: str) -> None:
    db = await _open(url)
    try:
        writes = GroupCommit(db)
        rejections = RejectionRepository(db, writes)
        for stage in ("application", "interview", "final-round"):
            await rejections.log(GUILD, KEY, stage, DAY, DAY, 20)
        wins = WinsRepository(db, writes, lambda g, u: f"owner-{g}-{u}")
        await wins.add(GUILD, "owner-x", None, "Sent two applications", "2026-W48", "2026-11-23")
        await wins.add(GUILD, "owner-y", 77, "Finished a portfolio piece", "2026-W48", "2026-11-24")
        posts, post = ScheduledPostsRepository(db), PostKey(GUILD, "celebration", "2026-W48")
        await posts.claim(post, "1@host#a", 1_795_795_200, 1_795_795_320, "2026-11-27")
        await posts.record_part(post, 0, 9001)
        await AuditRepository(db).record(
            AuditEntry(GUILD, 5, "tip.hide", "small-wins-02", None, None, "2026-11-23T10:00:00")
        )
    finally:
        await db.close()


async def _dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    db = await _open(url)
    try:
        tables = [t for t in await table_names(db, db.dialect) if t != "schema_version"]
        return {
            t: sorted(tuple(r) for r in await db.fetch_all(f"SELECT * FROM {t}"))  # noqa: S608 - catalogue names
            for t in tables
        }
    finally:
        await db.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres() as url:
        yield url


async def test_an_install_moves_to_postgresql_and_back_with_every_row(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lite, back = f"sqlite:///{tmp_path / 'bot.db'}", f"sqlite:///{tmp_path / 'back.db'}"
    await _seed(lite)
    original = await _dump(lite)

    assert await asyncio.to_thread(_cli, "db", "copy", "--from", lite, "--to", postgres_url) == 0
    printed = capsys.readouterr()
    assert re.search(r"^rejections +3 +3$", printed.out, re.MULTILINE)
    assert re.search(r"^wins +2 +2$", printed.out, re.MULTILINE)
    assert "secret" in printed.err  # the reminder that the secret does not travel
    assert await _dump(postgres_url) == original

    assert await asyncio.to_thread(_cli, "db", "copy", "--from", postgres_url, "--to", back) == 0
    assert await _dump(back) == original

    # New rows on PostgreSQL continue after the copied ids instead of colliding with them.
    db = await _open(postgres_url)
    try:
        rows = await db.execute_returning(
            "INSERT INTO rejections (guild_id, member_key, stage, day) "
            "VALUES (?, ?, 'other', '2026-11-25') RETURNING id",
            (GUILD, KEY),
        )
        assert rows[0]["id"] == 4
    finally:
        await db.close()


async def test_a_filled_target_is_refused_unless_forced(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lite = f"sqlite:///{tmp_path / 'bot.db'}"
    await _seed(lite)
    await _seed(postgres_url)  # someone already started the bot on PostgreSQL
    before = await _dump(postgres_url)

    assert await asyncio.to_thread(_cli, "db", "copy", "--from", lite, "--to", postgres_url) == 1
    assert "pass --force" in capsys.readouterr().err
    assert await _dump(postgres_url) == before

    assert (
        await asyncio.to_thread(_cli, "db", "copy", "--from", lite, "--to", postgres_url, "--force")
        == 0
    )
    assert await _dump(postgres_url) == await _dump(lite)


def test_backup_and_restore_point_a_postgresql_install_to_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("database:\n  url: postgresql://bot@db.example/bounceback\n")
    for action in ("backup", "restore"):
        code = main(["db", action, str(tmp_path / "copy.db"), "--config", str(config)])
        assert code == 1
        assert "pg_dump" in capsys.readouterr().err
