"""Repositories for tip history, votes and each server's tip edits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.tips import GuildEdits, SeenOp, ServedTip
from bot.storage.port import Store, Transaction


class TipHistoryRepository:
    """Which tips a member has seen in the current round of each topic.

    /my-data and /forget-me reach it through `SeenTracker`, which flushes its
    queue first; the tracker is the member-data holder, not this repository.
    """

    def __init__(self, db: Store) -> None:
        self._db = db

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the written rows only; `SeenTracker.export` flushes the queue first."""
        rows = await self._db.fetch_all(
            "SELECT topic, tip_id FROM tip_seen WHERE guild_id = ? AND member_key = ? "
            "ORDER BY topic, tip_id",
            (member.guild_id, member.member_key),
        )
        return [dict(row) for row in rows]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the written rows; `SeenTracker.delete` also drops its cache and queue."""
        return await tx.execute(
            "DELETE FROM tip_seen WHERE guild_id = ? AND member_key = ?",
            (member.guild_id, member.member_key),
        )

    async def seen(self, guild_id: int, member_key: str, topic: str) -> set[str]:
        """Return the tip ids written for this round of `topic` (queued ones are not here)."""
        rows = await self._db.fetch_all(
            "SELECT tip_id FROM tip_seen WHERE guild_id = ? AND member_key = ? AND topic = ?",
            (guild_id, member_key, topic),
        )
        return {str(row["tip_id"]) for row in rows}

    async def apply(self, batch: Callable[[Transaction], Awaitable[Sequence[SeenOp]]]) -> None:
        """Write a batch of shown tips in one transaction, in order (new rounds clear first).

        `batch` is called inside the transaction, before any write, so the rows it
        picks are decided atomically with every deletion, this process's or another's:
        a member forgotten while the batch waited is left out rather than written back.
        """
        async with self._db.transaction() as tx:
            inserts: list[tuple[int, str, str, str]] = []
            for op in await batch(tx):
                if op.new_round:
                    await _insert_seen(tx, inserts)
                    inserts = []
                    await tx.execute(
                        "DELETE FROM tip_seen WHERE guild_id = ? AND member_key = ? AND topic = ?",
                        (op.guild_id, op.member_key, op.topic),
                    )
                inserts.append((op.guild_id, op.member_key, op.topic, op.tip_id))
            await _insert_seen(tx, inserts)


async def _insert_seen(tx: Transaction, rows: list[tuple[int, str, str, str]]) -> None:
    if rows:
        await tx.execute_many(
            "INSERT INTO tip_seen (guild_id, member_key, topic, tip_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            rows,
        )


class TipVotesRepository:
    """Anonymous "This helped" counts, one per member per tip."""

    section: str = "tip_votes"
    tables: tuple[str, ...] = ("tip_votes",)

    def __init__(self, db: Store) -> None:
        self._db = db

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the ids of the tips this member found helpful."""
        rows = await self._db.fetch_all(
            "SELECT tip_id FROM tip_votes WHERE guild_id = ? AND member_key = ? ORDER BY tip_id",
            (member.guild_id, member.member_key),
        )
        return [dict(row) for row in rows]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's votes; the tips' counts drop with them."""
        return await tx.execute(
            "DELETE FROM tip_votes WHERE guild_id = ? AND member_key = ?",
            (member.guild_id, member.member_key),
        )

    async def add(self, guild_id: int, tip_id: str, member_key: str) -> bool:
        """Count a vote; False when this member already voted for this tip."""
        added = await self._db.execute(
            "INSERT INTO tip_votes (guild_id, tip_id, member_key) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (guild_id, tip_id, member_key),
        )
        return added == 1

    async def counts(self, guild_id: int) -> dict[str, int]:
        """Return votes per tip id in this server; a tip nobody voted for is absent."""
        rows = await self._db.fetch_all(
            "SELECT tip_id, COUNT(*) AS n FROM tip_votes WHERE guild_id = ? GROUP BY tip_id",
            (guild_id,),
        )
        return {str(row["tip_id"]): int(row["n"]) for row in rows}


class GuildTipsRepository:
    """A server's own tips, its overrides of library tips, and hidden library tips."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def edits(self, guild_id: int) -> GuildEdits:
        """Return the server's own tips, overrides and hidden ids, to lay over the library."""
        rows = await self._db.fetch_all(
            "SELECT tip_id, kind, topic, text, reflect FROM guild_tips WHERE guild_id = ?",
            (guild_id,),
        )
        hidden = await self._db.fetch_all(
            "SELECT tip_id FROM guild_hidden_tips WHERE guild_id = ?", (guild_id,)
        )
        tips = {
            str(r["tip_id"]): ServedTip(
                id=str(r["tip_id"]),
                topic=str(r["topic"]),
                text=str(r["text"]),
                reflect=r["reflect"],
                source="server" if r["kind"] == "custom" else "override",
            )
            for r in rows
        }
        return GuildEdits(tips=tips, hidden=frozenset(str(r["tip_id"]) for r in hidden))

    async def add_custom(
        self, guild_id: int, topic: str, text: str, reflect: str | None, at: str
    ) -> str:
        """Store a server tip under the next `srv-N` id and return that id."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "INSERT INTO guild_tip_counters (guild_id, last_id) VALUES (?, 1) "
                "ON CONFLICT(guild_id) DO UPDATE SET last_id = guild_tip_counters.last_id + 1 "
                "RETURNING last_id",
                (guild_id,),
            )
            tip_id = f"srv-{row[0] if row else 1}"
            await tx.execute(
                "INSERT INTO guild_tips (guild_id, tip_id, kind, topic, text, reflect, updated_at)"
                " VALUES (?, ?, 'custom', ?, ?, ?, ?)",
                (guild_id, tip_id, topic, text, reflect, at),
            )
        return tip_id

    async def save(self, guild_id: int, tip: ServedTip, at: str) -> None:
        """Insert or replace a server tip or override."""
        kind = "custom" if tip.source == "server" else "override"
        await self._db.execute(
            "INSERT INTO guild_tips (guild_id, tip_id, kind, topic, text, reflect, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id, tip_id) DO UPDATE SET "
            "text = excluded.text, reflect = excluded.reflect, updated_at = excluded.updated_at",
            (guild_id, tip.id, kind, tip.topic, tip.text, tip.reflect, at),
        )

    async def delete(self, guild_id: int, tip_id: str) -> bool:
        """Remove a server tip, or an override so the library text returns; False if none."""
        removed = await self._db.execute(
            "DELETE FROM guild_tips WHERE guild_id = ? AND tip_id = ?", (guild_id, tip_id)
        )
        return removed == 1

    async def set_hidden(self, guild_id: int, tip_id: str, *, hidden: bool) -> bool:
        """Hide or restore a library tip; False when nothing changed."""
        if hidden:
            sql = (
                "INSERT INTO guild_hidden_tips (guild_id, tip_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING"
            )
        else:
            sql = "DELETE FROM guild_hidden_tips WHERE guild_id = ? AND tip_id = ?"
        return await self._db.execute(sql, (guild_id, tip_id)) == 1
