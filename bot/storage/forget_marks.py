"""Forget marks: how a process learns, atomically with its own write, of another's /forget-me.

A process may hold rows it has not written yet (the tip history's write-behind queue), and a
/forget-me run by another process of the same shard (a deploy's overlap) cannot reach that
memory. So the deletion leaves marks in `bot_meta`, in its own transaction:
`version:forgets`, how many /forget-me the cluster has run, and `forgotten:<server id>`, that
count at the server's latest one. A queued row carries the count its process had read when
the row was queued (always a count read earlier, so never ahead of the truth); the write, in
its own transaction, reads the marks and leaves out the rows of every server forgotten after
they were queued. Only server ids and counts are kept, never anything about a member.

Atomic on both backends: SQLite runs write transactions one at a time, across processes too
(BEGIN IMMEDIATE). On PostgreSQL the deletion takes an advisory lock exclusively before it
deletes, and every write shares that lock before it reads the marks: a write either commits
before the deletion starts (which then deletes its rows) or waits and reads the new marks.
"""

from __future__ import annotations

from bot.storage.port import Store, Transaction
from bot.storage.versions import FORGETS

MARK = "forgotten:"
# The advisory lock key of /forget-me against queued writes (any fixed 64-bit number).
_LOCK = 0x626F756E63656667  # "bouncefg"


class ForgetMarks:
    """Leave a mark when a member is forgotten; read the marks a queued write must respect."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def mark(self, tx: Transaction, guild_id: int) -> int:
        """Count a /forget-me in `guild_id`; call before deleting anything it must cover."""
        if self._db.dialect == "postgres":
            await tx.fetch_one("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
        rows = await tx.execute_returning(
            "INSERT INTO bot_meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
            "SET value = CAST(CAST(bot_meta.value AS INTEGER) + 1 AS TEXT) RETURNING value",
            (FORGETS,),
        )
        count = int(rows[0]["value"])
        await tx.execute(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (f"{MARK}{guild_id}", str(count)),
        )
        return count

    async def count(self, tx: Transaction) -> int:
        """Return how many /forget-me the cluster has run; first thing in a queued write."""
        if self._db.dialect == "postgres":
            await tx.fetch_one("SELECT pg_advisory_xact_lock_shared(?)", (_LOCK,))
        row = await tx.fetch_one("SELECT value FROM bot_meta WHERE key = ?", (FORGETS,))
        return int(row["value"]) if row is not None else 0

    async def since(self, tx: Transaction, count: int) -> dict[int, int]:
        """Return the servers forgotten after the cluster's count was `count`, with their mark."""
        rows = await tx.fetch_all("SELECT key, value FROM bot_meta WHERE key LIKE ?", (f"{MARK}%",))
        marks = {int(str(row["key"]).removeprefix(MARK)): int(row["value"]) for row in rows}
        return {guild_id: mark for guild_id, mark in marks.items() if mark > count}
