"""Group commit on a real database (SQLite and PostgreSQL): writes that arrive together share one transaction.

What a member would notice if it broke: a /win refused because someone else's write in the
same batch failed, a win that vanished after it was confirmed, or a goal saved after the
member had asked to be forgotten.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import pytest

from bot.domain.member_key import MemberKeys, MemberRef
from bot.storage.accountability import GoalsRepository
from bot.storage.group_commit import Forgotten, GroupCommit
from bot.storage.port import Outcome, Statement, StorageError, Store
from bot.storage.wins import WinsRepository

GUILD = 111
ALICE, BOB = 1001, 1002
WEEK = "2026-W48"
KEYS = MemberKeys(b"k" * 32)


def _win(text: str, owner: str = "alice-key") -> Statement:
    return Statement(
        "INSERT INTO wins (guild_id, owner_key, user_id, text, week, day) "
        "VALUES (?, ?, NULL, ?, ?, '2026-11-27') RETURNING id",
        (GUILD, owner, text, WEEK),
    )


BROKEN = Statement("INSERT INTO wins (guild_id, owner_key) VALUES (NULL, NULL) RETURNING id")


async def _texts(db: Store) -> list[str]:
    return [str(r["text"]) for r in await db.fetch_all("SELECT text FROM wins ORDER BY id")]


def _count_batches(db: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many statements each batch (one transaction) carried."""
    sizes: list[int] = []
    real = db.run_together

    async def counted(pick: Callable[[], Sequence[Statement]]) -> list[Outcome]:
        def picked() -> Sequence[Statement]:
            statements = pick()
            sizes.append(len(statements))
            return statements

        return await real(picked)

    monkeypatch.setattr(db, "run_together", counted)
    return sizes


async def test_a_burst_of_writes_is_committed_in_few_transactions(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = GroupCommit(db)
    sizes = _count_batches(db, monkeypatch)
    texts = [f"Win {n}" for n in range(50)]
    rows = await asyncio.gather(*(writes.write(_win(text), (GUILD, "a")) for text in texts))
    assert sorted(await _texts(db)) == sorted(texts)
    assert len({r[0]["id"] for r in rows}) == 50  # each caller got its own row back
    assert sum(sizes) == 50
    assert len(sizes) <= 2  # the first write alone at most, then everyone else together


async def test_a_failing_write_fails_only_its_own_caller(db: Store) -> None:
    writes = GroupCommit(db)
    outcomes = await asyncio.gather(
        writes.write(_win("Before"), (GUILD, "a")),
        writes.write(BROKEN, (GUILD, "b")),
        writes.write(_win("After"), (GUILD, "c")),
        return_exceptions=True,
    )
    assert isinstance(outcomes[1], StorageError)
    assert not isinstance(outcomes[0], BaseException)
    assert not isinstance(outcomes[2], BaseException)
    assert await _texts(db) == ["Before", "After"]


async def test_a_write_queued_before_forget_me_is_never_written_after_it(db: Store) -> None:
    writes = GroupCommit(db)
    goals = GoalsRepository(db, writes)
    owner_key = KEYS.key
    wins = WinsRepository(db, writes, owner_key)
    alice = MemberRef(GUILD, ALICE, KEYS.key(GUILD, ALICE))
    async with db.transaction() as conn:  # /forget-me holds the write lock...
        queued = [
            asyncio.create_task(goals.add(GUILD, ALICE, WEEK, "Send two CVs", None, False)),
            asyncio.create_task(
                wins.add(GUILD, owner_key(GUILD, ALICE), None, "Called", WEEK, "d")
            ),
            asyncio.create_task(goals.add(GUILD, BOB, WEEK, "Rest on Sunday", None, False)),
        ]
        await asyncio.sleep(0)  # one turn of the loop: each task queues its write, behind it
        await goals.delete(conn, alice)
        await wins.delete(conn, alice)
    alices_goal, alices_win, bobs_goal = await asyncio.gather(*queued, return_exceptions=True)
    assert isinstance(alices_goal, Forgotten)
    assert isinstance(alices_win, Forgotten)
    assert bobs_goal is not None
    assert not isinstance(bobs_goal, BaseException)
    assert await goals.own(GUILD, ALICE, WEEK) == []
    assert await _texts(db) == []
    assert [g.text for g in await goals.own(GUILD, BOB, WEEK)] == ["Rest on Sunday"]
    # Whatever Alice saves after she was forgotten is kept: it is new.
    assert await goals.add(GUILD, ALICE, WEEK, "Start again", None, False) is not None


async def test_the_goal_limit_holds_within_one_batch(db: Store) -> None:
    goals = GoalsRepository(db, GroupCommit(db))
    added = await asyncio.gather(
        *(goals.add(GUILD, ALICE, WEEK, f"Goal {n}", None, False) for n in range(6))
    )
    assert sum(goal is not None for goal in added) == 3
    assert len(await goals.own(GUILD, ALICE, WEEK)) == 3
