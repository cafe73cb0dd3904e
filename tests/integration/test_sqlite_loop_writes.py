"""Group commit on SQLite commits on the event loop, and must never make the loop wait.

What a member would notice if it broke: every reply in the server stalling while another
process (`bounceback db backup`, a second bot on the same file) holds the write lock, or a
/win lost because its batch met that lock; and a database log that grows until the disk is
full because the loop's connection never checkpoints.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.storage.database import Database
from bot.storage.group_commit import GroupCommit
from bot.storage.port import Statement
from bot.storage.sqlite_batch import CHECKPOINT_EVERY, LoopWriter

GUILD = 111
WEEK = "2026-W48"
SETTLE_S = 0.3  # long enough for a loop write to have finished; it must not have


def _win(text: str) -> Statement:
    return Statement(
        "INSERT INTO wins (guild_id, owner_key, user_id, text, week, day) "
        "VALUES (?, 'alice-key', NULL, ?, ?, '2026-11-27') RETURNING id",
        (GUILD, text, WEEK),
    )


async def _texts(db: Database) -> list[str]:
    return [str(r["text"]) for r in await db.fetch_all("SELECT text FROM wins ORDER BY id")]


async def test_a_write_lock_held_by_another_process_delays_the_win_not_the_loop(
    sqlite_db: Database,
) -> None:
    other = sqlite3.connect(sqlite_db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # like `bounceback db restore` mid-copy
    writes = GroupCommit(sqlite_db)
    try:
        saving = asyncio.create_task(writes.write(_win("Sent the email"), (GUILD, "a")))
        loop_answers = asyncio.create_task(asyncio.sleep(0, "the loop is free"))
        done, _ = await asyncio.wait({saving, loop_answers}, timeout=SETTLE_S)
        assert done == {loop_answers}  # the win waits for the lock; the loop did not
    finally:
        other.execute("COMMIT")
        other.close()
    rows = await asyncio.wait_for(saving, timeout=5)
    assert rows[0]["id"] >= 1
    assert await _texts(sqlite_db) == ["Sent the email"]


async def test_the_database_log_is_checkpointed_while_the_loop_writes(
    sqlite_db: Database,
) -> None:
    writes = GroupCommit(sqlite_db)
    wal = sqlite_db.path.with_name(sqlite_db.path.name + "-wal")

    async def write_batches(count: int) -> int:
        for n in range(count):  # one write at a time: one batch each
            await writes.write(_win(f"Win {n}"), (GUILD, "a"))
        return wal.stat().st_size

    after_one_round = await write_batches(CHECKPOINT_EVERY + 1)
    after_three = await write_batches(2 * CHECKPOINT_EVERY)
    # Checkpointed, the log starts over and reuses its pages; never checkpointed, it
    # would be three times as long by now.
    assert after_three < 1.5 * after_one_round
    assert len(await _texts(sqlite_db)) == 3 * CHECKPOINT_EVERY + 1


async def test_every_connection_keeps_sqlites_scratch_tables_in_memory(sqlite_db: Database) -> None:
    """Temporary files for COUNT(DISTINCT) scratch tables made /rejection stats' figures slower."""
    memory = 2  # PRAGMA temp_store: 0 default (a file here), 1 file, 2 memory
    assert [tuple(r) for r in await sqlite_db.conn.execute_fetchall("PRAGMA temp_store")] == [
        (memory,)
    ]
    assert sqlite_db._reader is not None
    assert sqlite_db._loop_writer is not None
    assert sqlite_db._reader.execute("PRAGMA temp_store").fetchone()[0] == memory
    assert sqlite_db._loop_writer._conn.execute("PRAGMA temp_store").fetchone()[0] == memory


async def test_the_bot_starts_while_another_process_holds_the_file_a_moment(
    tmp_path: Path,
) -> None:
    """Start-up waits out a lock another process holds an instant instead of failing.

    A deploy's new bot or `bounceback db ...` opening the file may hold it a moment; CI saw
    "database is locked" when eight connections opened one new file together.
    """
    path = tmp_path / "bounceback.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE held (n INTEGER)")
    other.execute("BEGIN EXCLUSIVE")  # a fresh file is not WAL yet: this shuts readers out too
    other.execute("INSERT INTO held VALUES (1)")
    opening = asyncio.create_task(LoopWriter.open(path))
    loop_answers = asyncio.create_task(asyncio.sleep(0, "the loop is free"))
    try:
        done, _ = await asyncio.wait({opening, loop_answers}, timeout=SETTLE_S)
        assert done == {loop_answers}  # still waiting for the lock, and not on the loop
    finally:
        other.execute("COMMIT")
        other.close()
    writer = await asyncio.wait_for(opening, timeout=5)
    try:
        assert writer._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 0
    finally:
        writer.close()
