"""The command-tree digest decides whether Discord needs a (rate-limited) sync."""

from __future__ import annotations

from bot.domain.command_tree import sync_key, tree_digest
from bot.services.command_sync import CommandSyncService
from bot.storage.database import Database
from bot.storage.meta import MetaRepository

HELP = {"name": "help", "description": "See what Bounceback can do", "options": []}
ABOUT = {"name": "about", "description": "Version and privacy", "options": []}


def test_digest_ignores_order_of_commands_and_keys() -> None:
    reordered = {"options": [], "description": "See what Bounceback can do", "name": "help"}
    assert tree_digest([HELP, ABOUT]) == tree_digest([ABOUT, reordered])


def test_any_change_in_a_description_changes_the_digest() -> None:
    changed = {**HELP, "description": "Every command"}
    assert tree_digest([HELP, ABOUT]) != tree_digest([changed, ABOUT])


def test_scopes_are_kept_apart() -> None:
    assert sync_key(None) != sync_key(123)


async def test_unchanged_tree_needs_no_sync(db: Database) -> None:
    service = CommandSyncService(MetaRepository(db))
    assert not await service.is_current([HELP], None)
    await service.record([HELP], None)
    assert await service.is_current([HELP], None)
    assert not await service.is_current([HELP, ABOUT], None)
    assert not await service.is_current([HELP], 42)
