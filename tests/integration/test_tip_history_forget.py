"""The tip-history queue against a real database while a member is being forgotten."""

from __future__ import annotations

import asyncio

from bot.domain.member_key import MemberRef
from bot.domain.tips import SeenOp
from bot.storage.port import Store
from bot.storage.tip_history import SeenTracker
from bot.storage.tips import TipHistoryRepository

GUILD = 1
ALICE = MemberRef(GUILD, 10, "alice-key")
BOB = MemberRef(GUILD, 20, "bob-key")


def _shown(member: MemberRef, tip_id: str) -> SeenOp:
    return SeenOp(GUILD, member.member_key, "not-personal", tip_id, new_round=False)


async def _rows(db: Store, member: MemberRef) -> list[str]:
    rows = await db.fetch_all(
        "SELECT tip_id FROM tip_seen WHERE member_key = ? ORDER BY tip_id", (member.member_key,)
    )
    return [str(r["tip_id"]) for r in rows]


async def test_a_batch_in_flight_skips_the_forgotten_and_keeps_what_came_after(
    db: Store,
) -> None:
    tracker = SeenTracker(TipHistoryRepository(db))
    tracker.record(_shown(ALICE, "before"))
    tracker.record(_shown(BOB, "bob-1"))
    async with db.transaction() as conn:  # the deletion's transaction holds the write lock
        in_flight = asyncio.create_task(tracker.flush())
        await db.fetch_one("SELECT 1")  # meanwhile the flush takes its batch and waits
        await tracker.delete(conn, ALICE)
        tracker.record(_shown(ALICE, "after"))  # shown once the deletion was under way
        tracker.record(_shown(BOB, "bob-2"))
    await asyncio.wait_for(in_flight, 5)
    await tracker.flush()
    assert await _rows(db, ALICE) == ["after"]
    assert await _rows(db, BOB) == ["bob-1", "bob-2"]
    assert await tracker.seen(GUILD, ALICE.member_key, "not-personal") == {"after"}
