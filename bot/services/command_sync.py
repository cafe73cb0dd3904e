"""Decide whether the command tree needs registering, from the last synced digest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.domain.command_tree import sync_key, tree_digest
from bot.storage.meta import MetaRepository


class CommandSyncService:
    """Remembers what was registered so unchanged trees are never synced again."""

    def __init__(self, meta: MetaRepository) -> None:
        self._meta = meta

    async def is_current(self, commands: Iterable[Mapping[str, Any]], guild_id: int | None) -> bool:
        """Say whether `commands` is exactly what was last synced to that scope (None: global)."""
        return await self._meta.get(sync_key(guild_id)) == tree_digest(commands)

    async def record(self, commands: Iterable[Mapping[str, Any]], guild_id: int | None) -> None:
        """Remember a successful sync."""
        await self._meta.put(sync_key(guild_id), tree_digest(commands))
