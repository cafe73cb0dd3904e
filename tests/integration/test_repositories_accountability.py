"""Accountability repositories (goals, memberships and breaks) on each database backend.

Seeded with several members in two servers (Alice is in both) over three weeks,
then checked the way a member or the weekly thread would notice: a member sees
only their own goals, the three-a-week limit holds under double submits, the
thread adds exactly the joined members who are not resting, /forget-me takes one
member's rows in one server. Weekly-post claims: test_scheduled_posts.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.domain.accountability import Goal
from bot.domain.member_key import MemberKeys, MemberRef
from bot.storage.accountability import MAX_GOALS, GoalsRepository, MembershipRepository
from bot.storage.group_commit import GroupCommit
from bot.storage.member_data import MemberDataHolder
from bot.storage.port import Store

KEYS = MemberKeys(b"integration-tests-member-key-secret")
GUILD_A, GUILD_B = 1180000000000000001, 1180000000000000002
ALICE, BOB, CARA, ERIN = (2200000000000000000 + n for n in (11, 12, 13, 15))
PEOPLE = {GUILD_A: (ALICE, BOB, CARA), GUILD_B: (ALICE, ERIN)}
LAST_WEEK, WEEK, NEXT_WEEK = "2026-W47", "2026-W48", "2026-W49"
MONDAY, WEDNESDAY, SUNDAY = "2026-11-23", "2026-11-25", "2026-11-29"
AT = "2026-11-23T08:00:00+00:00"
KINDS = ("accountability", "checkin", "recap", "celebration")


def ref(guild_id: int, user_id: int) -> MemberRef:
    return MemberRef(guild_id, user_id, KEYS.key(guild_id, user_id))


class Seeded:
    """Goals and memberships over one database, spread like a real fortnight."""

    def __init__(self, db: Store) -> None:
        self.db = db
        writes = GroupCommit(db)
        self.goals = GoalsRepository(db, writes)
        self.members = MembershipRepository(db, writes)

    @property
    def holders(self) -> list[MemberDataHolder]:
        return [self.goals, self.members]

    async def fill(self) -> None:
        """Two goals this week and one last week each; everyone joined; Bob and Alice rest."""
        for guild_id, users in PEOPLE.items():
            for n, user_id in enumerate(users):
                await self.add(guild_id, user_id, LAST_WEEK, "Update my CV")
                await self.add(guild_id, user_id, WEEK, f"Send {n + 2} applications", n + 2)
                await self.add(
                    guild_id, user_id, WEEK, "Ask one interviewer for feedback", private=n == 1
                )
                assert await self.members.join(guild_id, user_id, f"2026-11-{20 - n}")
        alices = await self.goals.own(GUILD_A, ALICE, WEEK)
        await self.goals.update(alices[0], 2, False)  # reached its target of 2
        caras = await self.goals.own(GUILD_A, CARA, WEEK)
        await self.goals.update(caras[1], 0, True)
        await self.members.set_break(GUILD_A, BOB, SUNDAY)
        await self.members.set_break(GUILD_B, ALICE, MONDAY)

    async def add(
        self,
        guild_id: int,
        user_id: int,
        week: str,
        text: str,
        target: int | None = None,
        private: bool = False,
    ) -> Goal:
        goal = await self.goals.add(guild_id, user_id, week, text, target, private)
        assert goal is not None
        return goal

    async def everyone(self) -> dict[tuple[int, int], dict[str, list[dict[str, Any]]]]:
        return {
            (g, u): {h.section: await h.export(ref(g, u)) for h in self.holders}
            for g, users in PEOPLE.items()
            for u in users
        }


@pytest.fixture
async def seeded(db: Store) -> Seeded:
    data = Seeded(db)
    await data.fill()
    return data


def _shown(goals: list[Goal]) -> list[tuple[str, int | None, int, bool, bool]]:
    return [(g.text, g.target, g.progress, g.done, g.private) for g in goals]


# --- goals ------------------------------------------------------------------------------------


async def test_a_member_sees_their_own_goals_for_the_week_in_the_order_set(
    seeded: Seeded,
) -> None:
    assert _shown(await seeded.goals.own(GUILD_A, BOB, WEEK)) == [
        ("Send 3 applications", 3, 0, False, False),
        ("Ask one interviewer for feedback", None, 0, False, True),
    ]
    assert _shown(await seeded.goals.own(GUILD_B, ALICE, WEEK)) == [
        ("Send 2 applications", 2, 0, False, False),
        ("Ask one interviewer for feedback", None, 0, False, False),
    ]
    assert [g.text for g in await seeded.goals.own(GUILD_A, CARA, LAST_WEEK)] == ["Update my CV"]
    assert await seeded.goals.own(GUILD_A, ERIN, WEEK) == []
    assert await seeded.goals.own(GUILD_A, ALICE, NEXT_WEEK) == []


async def test_progress_and_done_are_kept_and_returned(seeded: Seeded) -> None:
    alices = await seeded.goals.own(GUILD_A, ALICE, WEEK)
    assert _shown(alices)[0] == ("Send 2 applications", 2, 2, False, False)
    assert alices[0].finished
    caras = await seeded.goals.own(GUILD_A, CARA, WEEK)
    assert caras[1].done
    assert not caras[0].finished
    updated = await seeded.goals.update(caras[0], 3, False)
    assert (updated.id, updated.progress, updated.done) == (caras[0].id, 3, False)
    assert await seeded.goals.get_own(GUILD_A, CARA, caras[0].id) == updated


async def test_the_fourth_goal_of_a_week_is_refused_but_other_weeks_and_servers_are_free(
    seeded: Seeded,
) -> None:
    assert MAX_GOALS == 3
    assert await seeded.goals.add(GUILD_A, BOB, WEEK, "Go for a run", None, False) is not None
    assert await seeded.goals.add(GUILD_A, BOB, WEEK, "One more", None, False) is None
    assert len(await seeded.goals.own(GUILD_A, BOB, WEEK)) == MAX_GOALS
    assert await seeded.goals.add(GUILD_A, BOB, NEXT_WEEK, "One more", None, False) is not None
    assert await seeded.goals.add(GUILD_B, BOB, WEEK, "One more", None, False) is not None


async def test_double_submits_in_flight_never_pass_the_limit(seeded: Seeded) -> None:
    added = await asyncio.gather(
        *(seeded.goals.add(GUILD_B, ERIN, NEXT_WEEK, f"Goal {n}", None, False) for n in range(8))
    )
    assert sum(goal is not None for goal in added) == MAX_GOALS
    assert len(await seeded.goals.own(GUILD_B, ERIN, NEXT_WEEK)) == MAX_GOALS


async def test_a_goal_is_found_only_by_its_owner_in_its_server(seeded: Seeded) -> None:
    bobs = await seeded.goals.own(GUILD_A, BOB, WEEK)
    assert await seeded.goals.get_own(GUILD_A, BOB, bobs[0].id) == bobs[0]
    assert await seeded.goals.get_own(GUILD_A, CARA, bobs[0].id) is None
    assert await seeded.goals.get_own(GUILD_B, BOB, bobs[0].id) is None
    assert await seeded.goals.get_own(GUILD_A, BOB, 10_000) is None


async def test_week_totals_count_goals_finished_goals_and_people_per_server(
    seeded: Seeded,
) -> None:
    assert await seeded.goals.week_totals(GUILD_A, WEEK) == (6, 2, 3)
    assert await seeded.goals.week_totals(GUILD_B, WEEK) == (4, 0, 2)
    assert await seeded.goals.week_totals(GUILD_A, LAST_WEEK) == (3, 0, 3)
    assert await seeded.goals.week_totals(GUILD_A, NEXT_WEEK) == (0, 0, 0)


async def test_goals_export_lists_every_week_in_that_server_only(seeded: Seeded) -> None:
    assert await seeded.goals.export(ref(GUILD_B, ERIN)) == [
        {
            "week": LAST_WEEK,
            "text": "Update my CV",
            "target": None,
            "progress": 0,
            "done": 0,
            "private": 0,
        },
        {
            "week": WEEK,
            "text": "Send 3 applications",
            "target": 3,
            "progress": 0,
            "done": 0,
            "private": 0,
        },
        {
            "week": WEEK,
            "text": "Ask one interviewer for feedback",
            "target": None,
            "progress": 0,
            "done": 0,
            "private": 1,
        },
    ]
    assert await seeded.goals.export(ref(GUILD_B, BOB)) == []


# --- memberships and breaks -------------------------------------------------------------------


async def test_joining_twice_and_leaving_twice_each_change_things_once(seeded: Seeded) -> None:
    assert not await seeded.members.join(GUILD_A, BOB, MONDAY)
    assert await seeded.members.is_member(GUILD_A, BOB)
    assert await seeded.members.leave(GUILD_A, BOB)
    assert not await seeded.members.leave(GUILD_A, BOB)
    assert not await seeded.members.is_member(GUILD_A, BOB)
    assert await seeded.members.is_member(GUILD_A, CARA)
    assert not await seeded.members.is_member(GUILD_B, BOB)
    assert await seeded.members.join(GUILD_A, BOB, WEDNESDAY)
    assert await seeded.members.export(ref(GUILD_A, BOB)) == [
        {"joined_on": WEDNESDAY},
        {"break_until": SUNDAY},
    ]


async def test_the_thread_adds_joined_members_not_resting_today_earliest_joiner_first(
    seeded: Seeded,
) -> None:
    assert await seeded.members.members_to_add(GUILD_A, MONDAY) == [CARA, ALICE]
    assert await seeded.members.members_to_add(GUILD_A, SUNDAY) == [CARA, ALICE]
    assert await seeded.members.members_to_add(GUILD_A, "2026-11-30") == [CARA, BOB, ALICE]
    assert await seeded.members.members_to_add(GUILD_B, MONDAY) == [ERIN]
    assert await seeded.members.members_to_add(GUILD_B, "2026-11-24") == [ERIN, ALICE]
    assert await seeded.members.members_to_add(1180000000000000099, MONDAY) == []


async def test_a_break_lasts_through_its_last_day_and_can_be_moved_or_ended(
    seeded: Seeded,
) -> None:
    assert await seeded.members.break_until(GUILD_A, BOB, MONDAY) == SUNDAY
    assert await seeded.members.break_until(GUILD_A, BOB, SUNDAY) == SUNDAY
    assert await seeded.members.break_until(GUILD_A, BOB, "2026-11-30") is None
    assert await seeded.members.break_until(GUILD_B, BOB, MONDAY) is None
    assert await seeded.members.break_until(GUILD_A, ALICE, MONDAY) is None
    await seeded.members.set_break(GUILD_A, BOB, WEDNESDAY)
    assert await seeded.members.break_until(GUILD_A, BOB, MONDAY) == WEDNESDAY
    await seeded.members.set_break(GUILD_A, BOB, None)
    assert await seeded.members.break_until(GUILD_A, BOB, MONDAY) is None
    assert await seeded.members.members_to_add(GUILD_A, MONDAY) == [CARA, BOB, ALICE]
    assert await seeded.members.break_until(GUILD_B, ALICE, MONDAY) == MONDAY


async def test_membership_export_holds_the_join_day_and_any_break(seeded: Seeded) -> None:
    assert await seeded.members.export(ref(GUILD_B, ALICE)) == [
        {"joined_on": "2026-11-20"},
        {"break_until": MONDAY},
    ]
    assert await seeded.members.export(ref(GUILD_A, ALICE)) == [{"joined_on": "2026-11-20"}]
    assert await seeded.members.export(ref(GUILD_B, CARA)) == []


# --- the holder contract ----------------------------------------------------------------------


async def test_forget_me_takes_exactly_one_members_rows_in_one_server(seeded: Seeded) -> None:
    before = await seeded.everyone()
    assert all(before[(GUILD_B, ALICE)].values())  # something to forget in every holder
    async with seeded.db.transaction() as conn:
        removed = [await h.delete(conn, ref(GUILD_B, ALICE)) for h in seeded.holders]
    assert removed == [3, 2]  # three goals; the membership and the break
    after = await seeded.everyone()
    assert after.pop((GUILD_B, ALICE)) == {h.section: [] for h in seeded.holders}
    assert after == {k: v for k, v in before.items() if k != (GUILD_B, ALICE)}
    assert await seeded.members.members_to_add(GUILD_B, "2026-11-24") == [ERIN]


@pytest.mark.parametrize("holder", ["goals", "members"])
async def test_delete_runs_inside_the_callers_transaction(seeded: Seeded, holder: str) -> None:
    """/forget-me is all or nothing: a failure after a holder's delete must undo it."""
    repo: MemberDataHolder = getattr(seeded, holder)
    before = await repo.export(ref(GUILD_A, BOB))

    async def delete_then_fail() -> None:
        async with seeded.db.transaction() as conn:
            assert await repo.delete(conn, ref(GUILD_A, BOB)) > 0
            raise RuntimeError("a later holder failed")

    with pytest.raises(RuntimeError):
        await asyncio.wait_for(delete_then_fail(), timeout=10)
    assert await repo.export(ref(GUILD_A, BOB)) == before
