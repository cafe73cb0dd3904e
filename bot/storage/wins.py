"""The repository of small wins (the weekly posts' claims live in scheduled_posts.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.wins import Win
from bot.storage.group_commit import GroupCommit
from bot.storage.port import Statement, Store, Transaction

WIN_SCOPE = "wins"


class WinsRepository:
    """Wins by server and week; a member-data holder (found by the wins-scope owner key)."""

    section: str = "wins"
    tables: tuple[str, ...] = ("wins",)

    def __init__(
        self, db: Store, writes: GroupCommit, owner_key: Callable[[int, int], str]
    ) -> None:
        self._db = db
        self._writes = writes
        self._owner_key = owner_key  # (guild_id, user_id) -> the member's key in the wins scope

    async def add(
        self, guild_id: int, owner: str, user_id: int | None, text: str, week: str, day: str
    ) -> Win:
        """Store a win by owner key (committed on return); `user_id` only if the member is named."""
        insert = Statement(
            "INSERT INTO wins (guild_id, owner_key, user_id, text, week, day) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, owner, user_id, text, week, day),
        )
        rows = await self._writes.write(insert, (guild_id, owner))
        return Win(int(rows[0][0]), guild_id, user_id, text, week, day)

    async def delete_own(self, guild_id: int, owner: str, win_id: int) -> bool:
        """Delete a win only if this owner posted it; False otherwise."""
        removed = await self._db.execute(
            "DELETE FROM wins WHERE id = ? AND guild_id = ? AND owner_key = ?",
            (win_id, guild_id, owner),
        )
        return removed == 1

    async def own(self, guild_id: int, owner: str, week: str) -> list[Win]:
        """Return the owner's wins of `week`, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT id, guild_id, user_id, text, week, day FROM wins "
            "WHERE guild_id = ? AND owner_key = ? AND week = ? ORDER BY id",
            (guild_id, owner, week),
        )
        return [Win(**dict(r)) for r in rows]

    async def for_week(self, guild_id: int, week: str) -> list[Win]:
        """Return every win of `week` in this server, oldest first (the celebration's order)."""
        rows = await self._db.fetch_all(
            "SELECT id, guild_id, user_id, text, week, day FROM wins WHERE guild_id = ? AND week = ? ORDER BY id",
            (guild_id, week),
        )
        return [Win(**dict(r)) for r in rows]

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the member's wins and whether each was anonymous, without the user id."""
        owner = self._owner_key(member.guild_id, member.user_id)
        rows = await self._db.fetch_all(
            "SELECT text, week, day, user_id IS NULL AS anonymous FROM wins "
            "WHERE guild_id = ? AND owner_key = ? ORDER BY id",
            (member.guild_id, owner),
        )
        return [{**dict(r), "anonymous": bool(r["anonymous"])} for r in rows]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's wins by owner key, and any still naming them by user id."""
        owner = self._owner_key(member.guild_id, member.user_id)
        self._writes.forget((member.guild_id, owner))  # and any win still queued
        return await tx.execute(
            "DELETE FROM wins WHERE guild_id = ? AND (owner_key = ? OR user_id = ?)",
            (member.guild_id, owner, member.user_id),
        )
