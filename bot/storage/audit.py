"""The audit trail of moderator changes: who, what, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    guild_id: int
    actor_id: int | None
    action: str
    target: str
    before: str | None
    after: str | None
    at: str


class AuditRepository:
    """Append-only log; read back by tests and, later, by moderators."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, entry: AuditEntry) -> None:
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

    async def recent(self, guild_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = await self._db.fetch_all(
            "SELECT guild_id, actor_id, action, target, before, after, at FROM audit_log "
            "WHERE guild_id = ? ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [AuditEntry(**dict(row)) for row in rows]
