"""The tip-history queue against a real database while a member is being forgotten.

Here or in another process of the same shard: a row shown before the deletion is never
written after it. Rows queued in the forgotten member's server before the deletion reached
the write are left out for everyone there (a tip may repeat); other servers keep theirs.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.member_key import MemberRef
from bot.domain.tips import SeenOp
from bot.services.cluster_versions import ClusterVersions
from bot.storage import tip_history
from bot.storage.forget_marks import ForgetMarks
from bot.storage.port import Store
from bot.storage.tip_history import SeenTracker
from bot.storage.tips import TipHistoryRepository
from bot.storage.versions import VersionsRepository
from tests.backends import reopen

GUILD, ELSEWHERE = 1, 2
TOPIC = "not-personal"
ALICE = MemberRef(GUILD, 10, "alice-key")
BOB = MemberRef(GUILD, 20, "bob-key")
CAROL = MemberRef(ELSEWHERE, 30, "carol-key")


def _tracker(db: Store) -> SeenTracker:
    return SeenTracker(TipHistoryRepository(db), ForgetMarks(db))


def _shown(member: MemberRef, tip_id: str) -> SeenOp:
    return SeenOp(member.guild_id, member.member_key, TOPIC, tip_id, new_round=False)


async def _rows(db: Store, member: MemberRef) -> list[str]:
    rows = await db.fetch_all(
        "SELECT tip_id FROM tip_seen WHERE member_key = ? ORDER BY tip_id", (member.member_key,)
    )
    return [str(r["tip_id"]) for r in rows]


async def test_a_batch_in_flight_skips_the_forgotten_server_and_keeps_the_others(
    db: Store,
) -> None:
    tracker = _tracker(db)
    tracker.record(_shown(ALICE, "before"))
    tracker.record(_shown(BOB, "bob-1"))
    tracker.record(_shown(CAROL, "carol-1"))
    async with db.transaction() as conn:  # the deletion's transaction holds the write lock
        in_flight = asyncio.create_task(tracker.flush())
        await db.fetch_one("SELECT 1")  # meanwhile the flush takes its batch and waits
        await tracker.delete(conn, ALICE)
        tracker.record(_shown(ALICE, "during"))  # shown while the deletion was under way
        tracker.record(_shown(CAROL, "carol-2"))
    await asyncio.wait_for(in_flight, 5)
    await tracker.flush()
    assert await _rows(db, ALICE) == []
    assert await _rows(db, BOB) == []  # queued in Alice's server before it: may repeat
    assert await _rows(db, CAROL) == ["carol-1", "carol-2"]
    assert await tracker.seen(GUILD, ALICE.member_key, TOPIC) == set()

    tracker.record(_shown(ALICE, "after"))  # once a write has seen the deletion
    await tracker.flush()
    assert await _rows(db, ALICE) == ["after"]


async def test_another_process_queue_never_writes_a_member_forgotten_here(db: Store) -> None:
    other_db = await reopen(db)  # the old process of a deploy, running the same shard
    try:
        here, there = _tracker(db), _tracker(other_db)
        there.record(_shown(ALICE, "seen-there"))
        there.record(_shown(CAROL, "carol-there"))
        assert await there.seen(GUILD, ALICE.member_key, TOPIC) == {"seen-there"}
        async with db.transaction() as tx:
            await here.delete(tx, ALICE)
            writing = asyncio.create_task(there.flush())  # waits for the deletion, or follows
            await db.fetch_one("SELECT 1")
        await asyncio.wait_for(writing, 5)
        assert await _rows(db, ALICE) == []
        assert await _rows(db, CAROL) == ["carol-there"]
        assert await there.seen(GUILD, ALICE.member_key, TOPIC) == set()  # its cache too

        there.record(_shown(ALICE, "new-there"))  # shown after: remembered as usual
        await there.close()
        assert await _rows(db, ALICE) == ["new-there"]
    finally:
        await other_db.close()


async def _nothing_to_reload() -> None:
    """Leave the content as it is."""


async def test_once_the_poll_has_seen_the_forget_new_tips_there_are_kept(db: Store) -> None:
    other_db = await reopen(db)
    try:
        here, there = _tracker(db), _tracker(other_db)
        async with db.transaction() as tx:
            await here.delete(tx, ALICE)
        versions = VersionsRepository(other_db)
        poll = ClusterVersions(versions, _nothing_to_reload, there.drop_cached, there.forgets_seen)
        await poll.poll()
        there.record(_shown(BOB, "bob-after"))  # Alice's server, shown after her /forget-me
        await there.close()
        assert await _rows(db, BOB) == ["bob-after"]
    finally:
        await other_db.close()


async def test_closing_while_a_batch_waits_for_the_database_still_writes_it(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tip_history, "WRITE_DELAY_SECONDS", 0)
    tracker = _tracker(db)
    async with db.transaction():  # another write holds the database
        tracker.record(_shown(CAROL, "shown-at-shutdown"))  # its batch starts at once, waits
        await db.fetch_one("SELECT 1")
        closing = asyncio.create_task(tracker.close())  # shutdown begins meanwhile
        await db.fetch_one("SELECT 1")
    await asyncio.wait_for(closing, 5)
    assert await _rows(db, CAROL) == ["shown-at-shutdown"]
