"""The database rows that make a cluster act as one bot, on both backends.

Several processes (here: independent connections to the same database) race for the
command sync: exactly one wins. Bumps of the change counters from several processes at
once all count, and a process polling them re-reads content and drops caches once each.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.services.cluster_versions import ClusterVersions
from bot.services.command_sync import CLAIM_SECONDS, CommandSyncService
from bot.storage.meta import MetaRepository
from bot.storage.port import Store
from bot.storage.versions import CACHES, CONTENT, FORGETS, VersionsRepository
from tests.backends import reopen

TREE = [{"name": "tip", "description": "A tip for today"}]
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


async def test_of_processes_racing_to_sync_one_tree_exactly_one_syncs(db: Store) -> None:
    others = [await reopen(db) for _ in range(3)]
    try:
        services = [CommandSyncService(MetaRepository(d)) for d in (db, *others)]
        won = await asyncio.gather(*(s.claim(TREE, None, NOW) for s in services))
        assert sorted(won) == [False, False, False, True]
        # The winner died before syncing: after the claim lapses, one other start takes it.
        later = NOW + timedelta(seconds=CLAIM_SECONDS + 1)
        won = await asyncio.gather(*(s.claim(TREE, None, later) for s in services))
        assert sorted(won) == [False, False, False, True]
        changed = [{"name": "tip", "description": "A new description"}]
        assert await services[0].claim(changed, None, later)  # a new tree: a new claim at once
    finally:
        for other in others:
            await other.close()


async def test_every_process_bump_counts_and_each_poll_acts_once(db: Store) -> None:
    others = [await reopen(db) for _ in range(3)]
    try:
        await asyncio.gather(*(VersionsRepository(d).bump(CACHES) for d in (db, *others)))
        assert await VersionsRepository(db).read() == {CONTENT: 0, CACHES: 4, FORGETS: 0}

        reloads: list[int] = []
        drops: list[int] = []

        async def reload() -> None:
            reloads.append(1)

        watcher = ClusterVersions(VersionsRepository(db), reload, lambda: drops.append(1))
        await watcher.poll()  # the baseline: what happened before this process started
        assert (reloads, drops) == ([], [])
        elsewhere = ClusterVersions(VersionsRepository(others[0]), reload, lambda: None)
        await elsewhere.content_reloaded()
        await elsewhere.caches_outdated()
        await watcher.poll()
        await watcher.poll()
        assert (reloads, drops) == ([1], [1])
    finally:
        for other in others:
            await other.close()
