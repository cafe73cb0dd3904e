"""The audit trail of moderator changes: who, what, when, before and after."""

from __future__ import annotations

from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.moderation import AuditEntry
from bot.storage.port import Store, Transaction


class AuditRepository:
    """Append-only log of moderator changes.

    For /forget-me the changes stay (the server needs to know what its tips
    are) but the moderator's id is removed from them.
    """

    section: str = "moderator_changes"
    tables: tuple[str, ...] = ("audit_log",)

    def __init__(self, db: Store) -> None:
        self._db = db

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export what this moderator changed and when, without the before and after texts."""
        rows = await self._db.fetch_all(
            "SELECT action, target, at FROM audit_log WHERE guild_id = ? AND actor_id = ? "
            "ORDER BY id",
            (member.guild_id, member.user_id),
        )
        return [dict(row) for row in rows]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Keep the member's changes but remove their id from them; return how many."""
        return await tx.execute(
            "UPDATE audit_log SET actor_id = NULL WHERE guild_id = ? AND actor_id = ?",
            (member.guild_id, member.user_id),
        )

    async def record(self, entry: AuditEntry) -> None:
        """Append one change; entries are never edited afterwards."""
        await self._db.execute(
            "INSERT INTO audit_log (guild_id, actor_id, action, target, before, after, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.guild_id,
                entry.actor_id,
                entry.action,
                entry.target,
                entry.before,
                entry.after,
                entry.at,
            ),
        )
