"""Who may change a server's tips: Manage Server, or the configured moderator role."""

from __future__ import annotations

from collections.abc import Collection


def is_moderator(manage_guild: bool, role_ids: Collection[int], moderator_role: int | None) -> bool:
    """Checked in code on every call, not only through Discord's default permissions."""
    return manage_guild or (moderator_role is not None and moderator_role in role_ids)
