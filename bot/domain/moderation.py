"""Who may change a server's tips (Manage Server, or the moderator role), and the trail of changes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


def is_moderator(manage_guild: bool, role_ids: Collection[int], moderator_role: int | None) -> bool:
    """Check in code on every call, not only through Discord's default permissions."""
    return manage_guild or (moderator_role is not None and moderator_role in role_ids)


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
