"""RejectionRepository on a real migrated SQLite file, seeded with three weeks of several servers.

A seeded history is mirrored in plain Python, so every count the bot shows a
member (today, this week, all time, the group figures) is checked against an
independent model rather than against hand-picked numbers.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.domain.member_key import MemberKeys, MemberRef
from bot.domain.rejections import STAGES, GroupFigure, Logged
from bot.domain.weeks import Span, last_week, this_week
from bot.storage.catalogue import columns
from bot.storage.group_commit import GroupCommit
from bot.storage.port import StorageError, Store
from bot.storage.rejections import RejectionRepository
from tests.backends import reopen

KEYS = MemberKeys(b"integration-tests-member-key-secret")
GUILD_A, GUILD_B = 1180000000000000001, 1180000000000000002
ALICE, BOB, CARA, DEV, ERIN = (2200000000000000000 + n for n in (11, 12, 13, 14, 15))
MEMBERS = {GUILD_A: (ALICE, BOB, CARA, DEV), GUILD_B: (ALICE, ERIN)}  # Alice is in both
TODAY = date(2026, 11, 26)  # a Thursday
LIMIT = 5


@dataclass(frozen=True)
class Entry:
    """One seeded log, as the model remembers it."""

    guild_id: int
    user_id: int
    stage: str
    day: date


def key(guild_id: int, user_id: int) -> str:
    return KEYS.key(guild_id, user_id)


def ref(guild_id: int, user_id: int) -> MemberRef:
    return MemberRef(guild_id, user_id, key(guild_id, user_id))


async def log(
    repo: RejectionRepository, guild_id: int, user_id: int, stage: str, day: date
) -> Logged:
    return await repo.log(guild_id, key(guild_id, user_id), stage, day, this_week(day).first, LIMIT)


async def seed(repo: RejectionRepository) -> list[Entry]:
    """Three weeks of logs up to yesterday, 0 to 3 a day per member, in day order."""
    rng = random.Random(4821)  # noqa: S311 - seeded, reproducible test data; not security
    entries: list[Entry] = []
    for offset in range(21, 0, -1):
        day = TODAY - timedelta(days=offset)
        for guild_id, users in MEMBERS.items():
            for user_id in users:
                for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    stage = rng.choice(STAGES)
                    assert (await log(repo, guild_id, user_id, stage, day)).accepted
                    entries.append(Entry(guild_id, user_id, stage, day))
    return entries


@pytest.fixture
def repo(db: Store) -> RejectionRepository:
    return RejectionRepository(db, GroupCommit(db))


@pytest.fixture
async def history(repo: RejectionRepository) -> list[Entry]:
    return await seed(repo)


async def test_member_entries_are_their_own_in_logging_order(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    for guild_id, users in MEMBERS.items():
        for user_id in users:
            expected = [
                (e.day, e.stage) for e in history if (e.guild_id, e.user_id) == (guild_id, user_id)
            ]
            assert await repo.member_entries(guild_id, key(guild_id, user_id)) == expected


async def test_member_tally_counts_each_days_entries_per_stage(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    """What /rejection stats reads: one row per day and stage, with how many it stands for."""
    for guild_id, users in MEMBERS.items():
        for user_id in users:
            mine = Counter(
                (e.day, e.stage) for e in history if (e.guild_id, e.user_id) == (guild_id, user_id)
            )
            tally = await repo.member_tally(guild_id, key(guild_id, user_id))
            assert len(tally) == len(mine)
            assert {(day, stage): n for day, stage, n in tally} == mine
    assert max(n for _, _, n in await repo.member_tally(GUILD_A, key(GUILD_A, ALICE))) > 1


async def test_a_log_reports_today_this_week_and_all_time_for_that_member_only(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    mine = [e for e in history if (e.guild_id, e.user_id) == (GUILD_A, BOB)]
    monday = this_week(TODAY).first
    before_today = sum(1 for e in mine if e.day >= monday)
    first = await log(repo, GUILD_A, BOB, "interview", TODAY)
    second = await log(repo, GUILD_A, BOB, "final-round", TODAY)
    assert first == Logged(True, 1, before_today + 1, len(mine) + 1)
    assert second == Logged(True, 2, before_today + 2, len(mine) + 2)
    # Alice's log in the other server does not move Bob's numbers, nor her own in server A.
    alice_a = sum(1 for e in history if (e.guild_id, e.user_id) == (GUILD_A, ALICE))
    await log(repo, GUILD_B, ALICE, "application", TODAY)
    assert len(await repo.member_entries(GUILD_A, key(GUILD_A, ALICE))) == alice_a
    assert len(await repo.member_entries(GUILD_A, key(GUILD_A, BOB))) == len(mine) + 2


async def test_the_daily_limit_refuses_the_extra_log_and_keeps_the_counts(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    results = [await log(repo, GUILD_A, CARA, "screening", TODAY) for _ in range(LIMIT + 2)]
    assert [r.accepted for r in results] == [True] * LIMIT + [False, False]
    last_accepted, refused = results[LIMIT - 1], results[LIMIT]
    assert refused == Logged(False, LIMIT, last_accepted.week, last_accepted.total)
    today = [d for d, _ in await repo.member_entries(GUILD_A, key(GUILD_A, CARA)) if d == TODAY]
    assert len(today) == LIMIT


async def test_the_daily_limit_holds_with_many_logs_in_flight(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    attempts = await asyncio.gather(
        *(log(repo, GUILD_A, DEV, STAGES[n % len(STAGES)], TODAY) for n in range(3 * LIMIT))
    )
    assert sum(r.accepted for r in attempts) == LIMIT
    assert sorted(r.today for r in attempts if r.accepted) == list(range(1, LIMIT + 1))
    assert all(r.today == LIMIT for r in attempts if not r.accepted)
    today = [d for d, _ in await repo.member_entries(GUILD_A, key(GUILD_A, DEV)) if d == TODAY]
    assert len(today) == LIMIT


async def test_the_daily_limit_holds_across_two_connections_to_one_file(db: Store) -> None:
    """Two bot processes sharing the file must not let a member past the limit between them."""
    other = await reopen(db)
    try:
        here = RejectionRepository(db, GroupCommit(db))
        there = RejectionRepository(other, GroupCommit(other))
        attempts = await asyncio.gather(
            *(
                log(r, GUILD_B, ERIN, "application", TODAY)
                for _ in range(2 * LIMIT)
                for r in (here, there)
            )
        )
    finally:
        await other.close()
    assert sum(r.accepted for r in attempts) == LIMIT
    assert len(await here.member_entries(GUILD_B, key(GUILD_B, ERIN))) == LIMIT


async def test_the_limit_is_per_day_and_per_server(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    for _ in range(LIMIT):
        assert (await log(repo, GUILD_A, ALICE, "other", TODAY)).accepted
    assert not (await log(repo, GUILD_A, ALICE, "other", TODAY)).accepted
    assert (await log(repo, GUILD_B, ALICE, "other", TODAY)).accepted
    assert (await log(repo, GUILD_A, BOB, "other", TODAY)).accepted
    tomorrow = await log(repo, GUILD_A, ALICE, "other", TODAY + timedelta(days=1))
    assert tomorrow.accepted
    assert tomorrow.today == 1


async def test_undo_removes_only_the_latest_entry_of_today(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    before = await repo.member_entries(GUILD_A, key(GUILD_A, BOB))
    await log(repo, GUILD_A, BOB, "screening", TODAY)
    await log(repo, GUILD_A, BOB, "offer-withdrawn", TODAY)
    others = {u: await repo.member_entries(GUILD_A, key(GUILD_A, u)) for u in (ALICE, CARA)}
    assert await repo.undo_today(GUILD_A, key(GUILD_A, BOB), TODAY) == "offer-withdrawn"
    assert await repo.undo_today(GUILD_A, key(GUILD_A, BOB), TODAY) == "screening"
    # Only yesterday's entries are left: nothing more to undo today, and they stay.
    assert await repo.undo_today(GUILD_A, key(GUILD_A, BOB), TODAY) is None
    assert await repo.member_entries(GUILD_A, key(GUILD_A, BOB)) == before
    for user_id, entries in others.items():
        assert await repo.member_entries(GUILD_A, key(GUILD_A, user_id)) == entries


async def test_undo_in_one_server_leaves_the_other_alone(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    await log(repo, GUILD_B, ALICE, "interview", TODAY)
    in_b = await repo.member_entries(GUILD_B, key(GUILD_B, ALICE))
    assert await repo.undo_today(GUILD_A, key(GUILD_A, ALICE), TODAY) is None
    assert await repo.member_entries(GUILD_B, key(GUILD_B, ALICE)) == in_b


async def test_undo_frees_a_slot_under_the_daily_limit(repo: RejectionRepository) -> None:
    for _ in range(LIMIT):
        await log(repo, GUILD_A, CARA, "application", TODAY)
    assert await repo.undo_today(GUILD_A, key(GUILD_A, CARA), TODAY) == "application"
    assert (await log(repo, GUILD_A, CARA, "interview", TODAY)).accepted


async def test_group_figures_count_entries_and_distinct_members_in_the_span(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    spans = [
        last_week(TODAY),
        Span(this_week(TODAY).first, TODAY - timedelta(days=1)),
        Span(TODAY - timedelta(days=21), TODAY),
        Span(TODAY - timedelta(days=3), TODAY - timedelta(days=3)),  # a single day
    ]
    for guild_id in MEMBERS:
        for span in spans:
            inside = [
                e for e in history if e.guild_id == guild_id and span.first <= e.day <= span.last
            ]
            expected = GroupFigure(len(inside), len({e.user_id for e in inside}))
            assert await repo.group_figure(guild_id, span) == expected, (guild_id, span)
        # /rejection stats reads them all at once: the same figures, in the order asked.
        together = [await repo.group_figure(guild_id, span) for span in spans]
        assert await repo.group_figures(guild_id, spans) == together
        empty = Span(TODAY, TODAY - timedelta(days=1))
        assert await repo.group_figures(guild_id, [empty, *spans]) == [GroupFigure(0, 0), *together]


async def test_an_empty_span_or_an_unknown_server_shows_nothing(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    assert await repo.group_figure(GUILD_A, Span(TODAY, TODAY - timedelta(days=1))) == GroupFigure(
        0, 0
    )
    assert await repo.group_figure(99, Span(TODAY - timedelta(days=30), TODAY)) == GroupFigure(0, 0)


async def test_export_lists_the_members_own_days_and_stages(
    repo: RejectionRepository, history: list[Entry]
) -> None:
    exported = await repo.export(ref(GUILD_B, ALICE))
    mine = [e for e in history if (e.guild_id, e.user_id) == (GUILD_B, ALICE)]
    assert exported == [{"day": e.day.isoformat(), "stage": e.stage} for e in mine]
    assert await repo.export(ref(GUILD_B, BOB)) == []  # Bob never joined server B


async def test_delete_removes_only_that_member_in_that_server(
    db: Store, repo: RejectionRepository, history: list[Entry]
) -> None:
    kept = {
        (g, u): await repo.member_entries(g, key(g, u))
        for g, users in MEMBERS.items()
        for u in users
        if (g, u) != (GUILD_A, ALICE)
    }
    async with db.transaction() as conn:
        removed = await repo.delete(conn, ref(GUILD_A, ALICE))
    assert removed == sum(1 for e in history if (e.guild_id, e.user_id) == (GUILD_A, ALICE)) > 0
    assert await repo.export(ref(GUILD_A, ALICE)) == []
    for (guild_id, user_id), entries in kept.items():
        assert await repo.member_entries(guild_id, key(guild_id, user_id)) == entries
    assert (await log(repo, GUILD_A, ALICE, "interview", TODAY)) == Logged(True, 1, 1, 1)


async def test_rows_hold_a_one_way_key_a_stage_and_a_day_and_nothing_else(
    db: Store, history: list[Entry]
) -> None:
    names = [column.name for column in await columns(db, db.dialect, "rejections")]
    assert names == ["id", "guild_id", "member_key", "stage", "day"]
    user_ids = {str(u) for users in MEMBERS.values() for u in users}
    rows = await db.fetch_all("SELECT guild_id, member_key, stage, day FROM rejections")
    assert len(rows) == len(history)
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row["member_key"])
        assert not any(uid in row["member_key"] for uid in user_ids)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["day"])  # a day, never a time
    # The same person has unrelated keys in two servers: their rows cannot be joined.
    in_a = {r["member_key"] for r in rows if r["guild_id"] == GUILD_A}
    in_b = {r["member_key"] for r in rows if r["guild_id"] == GUILD_B}
    assert in_a & in_b == set()
    assert Counter(r["stage"] for r in rows) == Counter(e.stage for e in history)


async def test_an_unknown_stage_is_refused_by_the_database(repo: RejectionRepository) -> None:
    with pytest.raises(StorageError, match=r"(?i)check constraint"):
        await log(repo, GUILD_A, BOB, "ghosted", TODAY)
    assert await repo.member_entries(GUILD_A, key(GUILD_A, BOB)) == []


ALL_TIME = [Span(date(2000, 1, 1), TODAY - timedelta(days=1))]


def _on_a_clock(db: Store) -> tuple[RejectionRepository, list[float]]:
    """Make a repository whose minute of kept figures runs on a clock the test moves."""
    clock = [0.0]
    return RejectionRepository(db, GroupCommit(db), now=lambda: clock[0]), clock


async def test_kept_group_figures_never_outlive_a_forget_here_or_in_another_process(
    db: Store, history: list[Entry]
) -> None:
    """The figures are kept a minute; a forgotten member must leave them at once all the same."""
    repo, _ = _on_a_clock(db)
    before = await repo.group_figures(GUILD_A, ALL_TIME)
    assert before[0].entries > 0
    assert await repo.group_figures(GUILD_A, ALL_TIME) == before  # kept: the same answer

    async with db.transaction() as conn:  # Alice asks to be forgotten, in this process
        await repo.delete(conn, ref(GUILD_A, ALICE))
    alice_gone = await repo.group_figures(GUILD_A, ALL_TIME)
    assert alice_gone[0].contributors == before[0].contributors - 1

    elsewhere = RejectionRepository(db, GroupCommit(db))  # another process, sharing the database
    async with db.transaction() as conn:
        await elsewhere.delete(conn, ref(GUILD_A, BOB))
    assert await repo.group_figures(GUILD_A, ALL_TIME) == alice_gone  # not told yet: kept
    repo.drop_cached()  # what the caches counter makes every process do within 2 seconds
    bob_gone = await repo.group_figures(GUILD_A, ALL_TIME)
    assert bob_gone[0].contributors == before[0].contributors - 2


async def test_kept_group_figures_are_counted_again_after_a_minute(
    db: Store, history: list[Entry]
) -> None:
    repo, clock = _on_a_clock(db)
    before = await repo.group_figures(GUILD_A, ALL_TIME)
    await db.execute(  # an entry for a past day appears behind the repository's back
        "INSERT INTO rejections (guild_id, member_key, stage, day) VALUES (?, ?, ?, ?)",
        (GUILD_A, "someone-new", "other", (TODAY - timedelta(days=2)).isoformat()),
    )
    assert await repo.group_figures(GUILD_A, ALL_TIME) == before
    clock[0] += 61
    after = await repo.group_figures(GUILD_A, ALL_TIME)
    assert after[0] == GroupFigure(before[0].entries + 1, before[0].contributors + 1)
