"""Member-data repositories (wins, support plans, tip votes, audit) on a real migrated SQLite file.

Each is seeded with several members in several servers (the same person in
two of them), then checked the way a member would notice: their own rows come
back, nobody else's do, and /forget-me's `delete` takes exactly their rows in
that one server, inside the caller's transaction.
"""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial
from typing import Any

import pytest

from bot.domain.member_key import MemberKeys, MemberRef
from bot.domain.moderation import AuditEntry
from bot.domain.support import SupportPlan
from bot.storage.audit import AuditRepository
from bot.storage.group_commit import GroupCommit
from bot.storage.member_data import MemberDataHolder
from bot.storage.port import Store
from bot.storage.support import PLAN_SCOPE, SupportPlanRepository
from bot.storage.tips import TipVotesRepository
from bot.storage.wins import WIN_SCOPE, WinsRepository

KEYS = MemberKeys(b"integration-tests-member-key-secret")
DM = 0  # plans written in a direct message
GUILD_A, GUILD_B = 1180000000000000001, 1180000000000000002
ALICE, BOB, CARA, ERIN = (2200000000000000000 + n for n in (11, 12, 13, 15))
MODS = (ALICE, CARA)  # Alice moderates both servers
PEOPLE = {GUILD_A: (ALICE, BOB, CARA), GUILD_B: (ALICE, ERIN)}
WEEK, NEXT_WEEK = "2026-W48", "2026-W49"


def ref(guild_id: int, user_id: int) -> MemberRef:
    return MemberRef(guild_id, user_id, KEYS.key(guild_id, user_id))


def owner(guild_id: int, user_id: int) -> str:
    return KEYS.key(guild_id, user_id, WIN_SCOPE)


def plan_for(user_id: int, version: int = 1) -> SupportPlan:
    return SupportPlan(
        warning_signs=f"Not sleeping, skipping meals ({user_id % 100}, v{version})",
        what_helps="A walk by the river; texting my sister",
        people="Sam (friend), the Tuesday peer group",
        reasons="My kids, finishing the pottery course",
    )


class Seeded:
    """The four holders over one database, with a realistic spread of rows."""

    def __init__(self, db: Store) -> None:
        self.db = db
        self.wins = WinsRepository(db, GroupCommit(db), partial(KEYS.key, scope=WIN_SCOPE))
        self.plans = SupportPlanRepository(db, partial(KEYS.key, scope=PLAN_SCOPE))
        self.votes = TipVotesRepository(db)
        self.audit = AuditRepository(db)

    @property
    def holders(self) -> list[MemberDataHolder]:
        return [self.wins, self.plans, self.votes, self.audit]

    async def fill(self) -> None:
        for guild_id, users in PEOPLE.items():
            for n, user_id in enumerate(users):
                await self.add_win(guild_id, user_id, f"Sent my CV to {n + 2} places", False)
                await self.add_win(guild_id, user_id, "Got out of bed and showered", True)
                await self.add_win(guild_id, user_id, "Booked a coffee chat", False, NEXT_WEEK)
                await self.plans.save(
                    guild_id, KEYS.key(guild_id, user_id), plan_for(user_id), date(2026, 11, 20)
                )
                for tip_id in ("interview-03", "rest-01", "cv-07")[: n + 1]:
                    await self.votes.add(guild_id, tip_id, KEYS.key(guild_id, user_id))
            for user_id in MODS:
                if user_id in users:
                    await self.audit.record(
                        AuditEntry(
                            guild_id,
                            user_id,
                            "tip.add",
                            f"srv-{user_id % 10}",
                            None,
                            '{"text": "Drink water"}',
                            "2026-11-20T10:00:00+00:00",
                        )
                    )
        await self.plans.save(DM, KEYS.key(DM, ALICE), plan_for(ALICE, 2), date(2026, 11, 21))

    async def add_win(
        self, guild_id: int, user_id: int, text: str, anonymous: bool, week: str = WEEK
    ) -> int:
        named = None if anonymous else user_id
        win = await self.wins.add(
            guild_id, owner(guild_id, user_id), named, text, week, "2026-11-24"
        )
        return win.id

    async def exports(self, member: MemberRef) -> dict[str, list[dict[str, Any]]]:
        return {h.section: await h.export(member) for h in self.holders}

    async def everyone(self) -> dict[tuple[int, int], dict[str, list[dict[str, Any]]]]:
        found = {
            (g, u): await self.exports(ref(g, u)) for g, users in PEOPLE.items() for u in users
        }
        found[(DM, ALICE)] = await self.exports(ref(DM, ALICE))
        return found


@pytest.fixture
async def seeded(db: Store) -> Seeded:
    data = Seeded(db)
    await data.fill()
    return data


# --- wins -------------------------------------------------------------------------------------


async def test_the_weeks_wins_come_back_in_order_with_anonymous_ones_unnamed(
    seeded: Seeded,
) -> None:
    wins = await seeded.wins.for_week(GUILD_A, WEEK)
    assert [(w.user_id, w.text) for w in wins] == [
        (ALICE, "Sent my CV to 2 places"),
        (None, "Got out of bed and showered"),
        (BOB, "Sent my CV to 3 places"),
        (None, "Got out of bed and showered"),
        (CARA, "Sent my CV to 4 places"),
        (None, "Got out of bed and showered"),
    ]
    assert [w.id for w in wins] == sorted(w.id for w in wins)
    assert {(w.guild_id, w.week, w.day) for w in wins} == {(GUILD_A, WEEK, "2026-11-24")}
    assert [w.text for w in await seeded.wins.for_week(GUILD_B, NEXT_WEEK)] == [
        "Booked a coffee chat"
    ] * 2
    assert await seeded.wins.for_week(GUILD_B, "2026-W47") == []


async def test_own_wins_include_anonymous_ones_but_never_someone_elses(seeded: Seeded) -> None:
    own = await seeded.wins.own(GUILD_A, owner(GUILD_A, BOB), WEEK)
    assert [(w.user_id, w.text) for w in own] == [
        (BOB, "Sent my CV to 3 places"),
        (None, "Got out of bed and showered"),
    ]
    in_b = await seeded.wins.own(GUILD_B, owner(GUILD_B, ALICE), WEEK)
    assert [w.text for w in in_b] == ["Sent my CV to 2 places", "Got out of bed and showered"]
    assert await seeded.wins.own(GUILD_B, owner(GUILD_B, BOB), WEEK) == []


async def test_only_the_owner_can_delete_a_win_in_its_own_server(seeded: Seeded) -> None:
    bobs = await seeded.wins.own(GUILD_A, owner(GUILD_A, BOB), WEEK)
    target = bobs[1].id
    assert not await seeded.wins.delete_own(GUILD_A, owner(GUILD_A, CARA), target)
    assert not await seeded.wins.delete_own(GUILD_B, owner(GUILD_B, BOB), target)
    assert [w.id for w in await seeded.wins.own(GUILD_A, owner(GUILD_A, BOB), WEEK)] == [
        w.id for w in bobs
    ]
    assert await seeded.wins.delete_own(GUILD_A, owner(GUILD_A, BOB), target)
    assert not await seeded.wins.delete_own(GUILD_A, owner(GUILD_A, BOB), target)
    assert [w.id for w in await seeded.wins.own(GUILD_A, owner(GUILD_A, BOB), WEEK)] == [bobs[0].id]


async def test_wins_export_says_which_were_anonymous_without_any_user_id(seeded: Seeded) -> None:
    assert await seeded.wins.export(ref(GUILD_B, ERIN)) == [
        {"text": "Sent my CV to 3 places", "week": WEEK, "day": "2026-11-24", "anonymous": False},
        {
            "text": "Got out of bed and showered",
            "week": WEEK,
            "day": "2026-11-24",
            "anonymous": True,
        },
        {
            "text": "Booked a coffee chat",
            "week": NEXT_WEEK,
            "day": "2026-11-24",
            "anonymous": False,
        },
    ]


async def test_anonymous_wins_hold_no_user_id_and_owner_keys_are_not_rejection_keys(
    seeded: Seeded,
) -> None:
    rows = await seeded.db.fetch_all("SELECT guild_id, owner_key, user_id, text FROM wins")
    assert all(r["user_id"] is None for r in rows if r["text"] == "Got out of bed and showered")
    rejection_keys = {KEYS.key(g, u) for g, users in PEOPLE.items() for u in users}
    assert {r["owner_key"] for r in rows}.isdisjoint(rejection_keys)


# --- support plans ----------------------------------------------------------------------------


async def test_a_plan_is_kept_per_member_per_server_and_in_dms(seeded: Seeded) -> None:
    assert await seeded.plans.get(GUILD_A, KEYS.key(GUILD_A, BOB)) == (
        plan_for(BOB),
        date(2026, 11, 20),
    )
    assert await seeded.plans.get(DM, KEYS.key(DM, ALICE)) == (
        plan_for(ALICE, 2),
        date(2026, 11, 21),
    )
    assert await seeded.plans.get(GUILD_B, KEYS.key(GUILD_B, ALICE)) == (
        plan_for(ALICE),
        date(2026, 11, 20),
    )
    assert await seeded.plans.get(GUILD_B, KEYS.key(GUILD_B, BOB)) is None


async def test_saving_again_replaces_the_plan_and_its_day(seeded: Seeded) -> None:
    member = KEYS.key(GUILD_A, CARA)
    await seeded.plans.save(GUILD_A, member, plan_for(CARA, 3), date(2026, 11, 27))
    assert await seeded.plans.get(GUILD_A, member) == (plan_for(CARA, 3), date(2026, 11, 27))
    rows = await seeded.db.fetch_all("SELECT 1 FROM support_plans WHERE member_key = ?", (member,))
    assert len(rows) == 1
    assert await seeded.plans.get(GUILD_A, KEYS.key(GUILD_A, BOB)) == (
        plan_for(BOB),
        date(2026, 11, 20),
    )


async def test_removing_a_plan_says_whether_there_was_one(seeded: Seeded) -> None:
    assert await seeded.plans.remove(GUILD_A, KEYS.key(GUILD_A, BOB))
    assert not await seeded.plans.remove(GUILD_A, KEYS.key(GUILD_A, BOB))
    assert await seeded.plans.get(GUILD_A, KEYS.key(GUILD_A, BOB)) is None
    assert await seeded.plans.get(GUILD_A, KEYS.key(GUILD_A, CARA)) is not None


async def test_plan_export_has_every_part_and_the_day(seeded: Seeded) -> None:
    assert await seeded.plans.export(ref(GUILD_B, ERIN)) == [
        {**plan_for(ERIN).parts(), "updated_on": "2026-11-20"}
    ]
    assert await seeded.plans.export(ref(GUILD_B, BOB)) == []


async def test_forgetting_in_a_dm_takes_the_dm_plan_and_leaves_the_servers(seeded: Seeded) -> None:
    async with seeded.db.transaction() as conn:
        assert await seeded.plans.delete(conn, ref(DM, ALICE)) == 1
    assert await seeded.plans.export(ref(DM, ALICE)) == []
    for guild_id in (GUILD_A, GUILD_B):
        assert await seeded.plans.get(guild_id, KEYS.key(guild_id, ALICE)) is not None


async def test_plans_hold_no_user_id(seeded: Seeded) -> None:
    rows = await seeded.db.fetch_all("SELECT * FROM support_plans")
    user_ids = {str(u) for users in PEOPLE.values() for u in users}
    assert all(uid not in str(tuple(row)) for row in rows for uid in user_ids)


# --- tip votes --------------------------------------------------------------------------------


async def test_one_vote_per_member_per_tip_counted_per_server(seeded: Seeded) -> None:
    assert await seeded.votes.counts(GUILD_A) == {"interview-03": 3, "rest-01": 2, "cv-07": 1}
    assert await seeded.votes.counts(GUILD_B) == {"interview-03": 2, "rest-01": 1}
    assert not await seeded.votes.add(GUILD_A, "interview-03", KEYS.key(GUILD_A, CARA))
    assert await seeded.votes.add(GUILD_A, "cv-07", KEYS.key(GUILD_A, ALICE))
    assert await seeded.votes.counts(GUILD_A) == {"interview-03": 3, "rest-01": 2, "cv-07": 2}
    assert await seeded.votes.counts(99) == {}


async def test_double_clicks_in_flight_count_once(seeded: Seeded) -> None:
    member = KEYS.key(GUILD_B, ERIN)
    added = await asyncio.gather(*(seeded.votes.add(GUILD_B, "cv-07", member) for _ in range(8)))
    assert sum(added) == 1
    assert (await seeded.votes.counts(GUILD_B))["cv-07"] == 1


async def test_votes_export_lists_the_members_tips_sorted(seeded: Seeded) -> None:
    assert await seeded.votes.export(ref(GUILD_A, CARA)) == [
        {"tip_id": "cv-07"},
        {"tip_id": "interview-03"},
        {"tip_id": "rest-01"},
    ]
    assert await seeded.votes.export(ref(GUILD_B, ALICE)) == [{"tip_id": "interview-03"}]


# --- audit ------------------------------------------------------------------------------------


async def test_audit_export_lists_a_moderators_changes_in_that_server(seeded: Seeded) -> None:
    await seeded.audit.record(
        AuditEntry(
            GUILD_A,
            ALICE,
            "setup.support",
            "support",
            None,
            '{"note": "DM a mod"}',
            "2026-11-21T09:30:00+00:00",
        )
    )
    assert await seeded.audit.export(ref(GUILD_A, ALICE)) == [
        {"action": "tip.add", "target": "srv-1", "at": "2026-11-20T10:00:00+00:00"},
        {"action": "setup.support", "target": "support", "at": "2026-11-21T09:30:00+00:00"},
    ]
    assert await seeded.audit.export(ref(GUILD_B, ALICE)) == [
        {"action": "tip.add", "target": "srv-1", "at": "2026-11-20T10:00:00+00:00"}
    ]
    assert await seeded.audit.export(ref(GUILD_A, BOB)) == []


async def test_forgetting_a_moderator_keeps_the_change_but_drops_their_id(seeded: Seeded) -> None:
    async with seeded.db.transaction() as conn:
        assert await seeded.audit.delete(conn, ref(GUILD_A, ALICE)) == 1
    rows = await seeded.db.fetch_all(
        "SELECT guild_id, actor_id, action, after FROM audit_log ORDER BY id"
    )
    assert [(r["guild_id"], r["actor_id"]) for r in rows] == [
        (GUILD_A, None),
        (GUILD_A, CARA),
        (GUILD_B, ALICE),
    ]
    assert all(r["after"] == '{"text": "Drink water"}' for r in rows)
    assert await seeded.audit.export(ref(GUILD_A, ALICE)) == []


# --- the holder contract ----------------------------------------------------------------------


async def test_forget_me_takes_exactly_one_members_rows_in_one_server(seeded: Seeded) -> None:
    before = await seeded.everyone()
    assert all(before[(GUILD_A, ALICE)].values())  # something to forget in every holder
    async with seeded.db.transaction() as conn:
        removed = [await h.delete(conn, ref(GUILD_A, ALICE)) for h in seeded.holders]
    assert removed == [3, 1, 1, 1]  # wins, plan, votes, audit
    after = await seeded.everyone()
    assert after.pop((GUILD_A, ALICE)) == {h.section: [] for h in seeded.holders}
    assert after == {k: v for k, v in before.items() if k != (GUILD_A, ALICE)}


@pytest.mark.parametrize("holder", ["wins", "plans", "votes", "audit"])
async def test_delete_runs_inside_the_callers_transaction(seeded: Seeded, holder: str) -> None:
    """/forget-me is all or nothing: a failure after a holder's delete must undo it."""
    repo: MemberDataHolder = getattr(seeded, holder)
    before = await repo.export(ref(GUILD_A, CARA))

    async def delete_then_fail() -> None:
        async with seeded.db.transaction() as conn:
            assert await repo.delete(conn, ref(GUILD_A, CARA)) > 0
            raise RuntimeError("a later holder failed")

    with pytest.raises(RuntimeError):
        # A holder that took the database lock itself would wait forever: fail instead.
        await asyncio.wait_for(delete_then_fail(), timeout=10)
    assert await repo.export(ref(GUILD_A, CARA)) == before


async def test_a_plan_under_the_rejection_key_is_adopted_by_its_own_key(seeded: Seeded) -> None:
    """Seeded plans sit under the rejection key, as versions before the plans scope kept them."""
    legacy, own = KEYS.key(GUILD_A, BOB), KEYS.key(GUILD_A, BOB, PLAN_SCOPE)
    assert own != legacy
    moved = await seeded.plans.adopt(GUILD_A, legacy, own)
    assert moved is not None
    assert await seeded.plans.get(GUILD_A, legacy) is None
    assert await seeded.plans.get(GUILD_A, own) == moved
    assert await seeded.plans.adopt(GUILD_A, legacy, own) is None  # nothing left to move


async def test_a_newer_plan_under_its_own_key_wins_over_an_old_one(seeded: Seeded) -> None:
    legacy, own = KEYS.key(GUILD_A, CARA), KEYS.key(GUILD_A, CARA, PLAN_SCOPE)
    await seeded.plans.save(GUILD_A, own, plan_for(CARA, 9), date(2026, 11, 28))
    kept = await seeded.plans.adopt(GUILD_A, legacy, own)
    assert kept == (plan_for(CARA, 9), date(2026, 11, 28))
    assert await seeded.plans.get(GUILD_A, legacy) is None
