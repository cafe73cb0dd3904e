"""Repositories for accountability: members, breaks and weekly goals."""

from __future__ import annotations

from typing import Any

from bot.domain.accountability import Goal
from bot.domain.member_key import MemberRef
from bot.storage.group_commit import GroupCommit
from bot.storage.port import Statement, Store, Transaction

MAX_GOALS = 3


_GOAL_COLUMNS = "id, guild_id, user_id, week, text, target, progress, done, private"


def _goal(row: Any) -> Goal:
    data = dict(row)
    return Goal(**{**data, "done": bool(data["done"]), "private": bool(data["private"])})


def _who(guild_id: int, user_id: int) -> tuple[int, str]:
    """Name a member for the group-commit queue, as these tables do: by user id."""
    return (guild_id, str(user_id))


def _goal_lock(db: Store, guild_id: int, user_id: int, week: str) -> tuple[Statement, ...]:
    """On PostgreSQL, the lock on the member's week that makes the goal limit exact."""
    if db.dialect != "postgres":
        return ()
    lock = "SELECT pg_advisory_xact_lock(hashtextextended(?, ?))"
    return (Statement(lock, (f"goals:{user_id}:{week}", guild_id)),)


class GoalsRepository:
    """Goals by member and week; a member-data holder."""

    section: str = "goals"
    tables: tuple[str, ...] = ("goals",)

    def __init__(self, db: Store, writes: GroupCommit) -> None:
        self._db = db
        self._writes = writes

    async def add(
        self,
        guild_id: int,
        user_id: int,
        week: str,
        text: str,
        target: int | None,
        private: bool,
        carried_from: int | None = None,
    ) -> Goal | None:
        """Insert unless the member already has MAX_GOALS this week (checked atomically)."""
        added = await self.add_and_find_thread(
            guild_id, user_id, week, text, target, private, carried_from
        )
        return added[0] if added else None

    async def add_and_find_thread(
        self,
        guild_id: int,
        user_id: int,
        week: str,
        text: str,
        target: int | None,
        private: bool,
        carried_from: int | None = None,
    ) -> tuple[Goal, int | None] | None:
        """Add a goal as `add` does, and return the week's posted thread in the same trip.

        One statement checks the limit, inserts and reads the thread (None until posted),
        committed with the writes queued beside it before this returns. On PostgreSQL
        the member's week is locked first, so two processes cannot both count below
        the limit (SQLite's write lock already spans processes).
        """
        insert = Statement(
            "INSERT INTO goals (guild_id, user_id, week, text, target, private, carried_from) "
            "SELECT :g, :u, :w, :t, :n, :p, :c WHERE (SELECT COUNT(*) FROM goals "
            "WHERE guild_id = :g AND user_id = :u AND week = :w) < :max RETURNING id, "
            "(SELECT message_id FROM scheduled_posts WHERE guild_id = :g "
            "AND kind = 'accountability' AND week = :w AND status = 'sent')",
            {
                "g": guild_id,
                "u": user_id,
                "w": week,
                "t": text,
                "n": target,
                "p": int(private),
                "c": carried_from,
                "max": MAX_GOALS,
            },
            first=_goal_lock(self._db, guild_id, user_id, week),
        )
        rows = await self._writes.write(insert, _who(guild_id, user_id))
        if not rows:
            return None
        goal = Goal(int(rows[0][0]), guild_id, user_id, week, text, target, 0, False, private)
        return goal, rows[0][1]

    async def own(self, guild_id: int, user_id: int, week: str) -> list[Goal]:
        """Return the member's goals for `week` in this server, in the order they were set."""
        rows = await self._db.fetch_all(
            f"SELECT {_GOAL_COLUMNS} FROM goals WHERE guild_id = ? AND user_id = ? AND week = ? ORDER BY id",  # noqa: S608 - the column list is a module constant; values are parameters
            (guild_id, user_id, week),
        )
        return [_goal(r) for r in rows]

    async def get_own(self, guild_id: int, user_id: int, goal_id: int) -> Goal | None:
        """Return the goal only if it belongs to this member in this server."""
        row = await self._db.fetch_one(
            f"SELECT {_GOAL_COLUMNS} FROM goals WHERE id = ? AND guild_id = ? AND user_id = ?",  # noqa: S608 - the column list is a module constant; values are parameters
            (goal_id, guild_id, user_id),
        )
        return _goal(row) if row else None

    async def update(self, goal: Goal, progress: int, done: bool) -> Goal:
        """Store the goal's progress and done flag, and return the goal as it now stands."""
        await self._db.execute(
            "UPDATE goals SET progress = ?, done = ? WHERE id = ?", (progress, int(done), goal.id)
        )
        return Goal(**{**goal.__dict__, "progress": progress, "done": done})

    async def week_totals(self, guild_id: int, week: str) -> tuple[int, int, int]:
        """(goals set, goals finished, members who set any) for the week."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n, "
            "SUM(CASE WHEN done <> 0 OR (target IS NOT NULL AND progress >= target) THEN 1 END) AS f, "
            "COUNT(DISTINCT user_id) AS m FROM goals WHERE guild_id = ? AND week = ?",
            (guild_id, week),
        )
        return (int(row["n"]), int(row["f"] or 0), int(row["m"])) if row else (0, 0, 0)

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the member's goals of every week, oldest first, without internal ids."""
        rows = await self._db.fetch_all(
            "SELECT week, text, target, progress, done, private FROM goals "
            "WHERE guild_id = ? AND user_id = ? ORDER BY id",
            (member.guild_id, member.user_id),
        )
        return [dict(r) for r in rows]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's goals of every week in this server, and any still queued."""
        self._writes.forget(_who(member.guild_id, member.user_id))
        return await tx.execute(
            "DELETE FROM goals WHERE guild_id = ? AND user_id = ?",
            (member.guild_id, member.user_id),
        )


class MembershipRepository:
    """Who joined the weekly thread, and who is on a break; a member-data holder."""

    section: str = "accountability"
    tables: tuple[str, ...] = ("accountability_members", "breaks")

    def __init__(self, db: Store, writes: GroupCommit) -> None:
        self._db = db
        self._writes = writes

    async def join(self, guild_id: int, user_id: int, day: str) -> bool:
        """Add the member to the weekly thread's list; False if they were already on it."""
        insert = Statement(
            "INSERT INTO accountability_members (guild_id, user_id, joined_on) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            (guild_id, user_id, day),
        )
        return bool(await self._writes.write(insert, _who(guild_id, user_id)))

    async def leave(self, guild_id: int, user_id: int) -> bool:
        """Take the member off the list (a break stays); False if they were not on it."""
        return (
            await self._db.execute(
                "DELETE FROM accountability_members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            == 1
        )

    async def is_member(self, guild_id: int, user_id: int) -> bool:
        """Return True when the member has joined, whether or not they are on a break."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM accountability_members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return row is not None

    async def members_to_add(self, guild_id: int, today: str) -> list[int]:
        """Return joined members who are not on a break today, earliest joiners first."""
        rows = await self._db.fetch_all(
            "SELECT m.user_id FROM accountability_members m LEFT JOIN breaks b "
            "ON b.guild_id = m.guild_id AND b.user_id = m.user_id AND b.until_day >= ? "
            "WHERE m.guild_id = ? AND b.user_id IS NULL ORDER BY m.joined_on, m.user_id",
            (today, guild_id),
        )
        return [int(r["user_id"]) for r in rows]

    async def set_break(self, guild_id: int, user_id: int, until_day: str | None) -> None:
        """Pause the member through `until_day` (an ISO day, inclusive); None ends the break."""
        if until_day is None:
            await self._db.execute(
                "DELETE FROM breaks WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            return
        await self._db.execute(
            "INSERT INTO breaks (guild_id, user_id, until_day) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id, user_id) DO UPDATE SET until_day = excluded.until_day",
            (guild_id, user_id, until_day),
        )

    async def break_until(self, guild_id: int, user_id: int, today: str) -> str | None:
        """Return the last day of a break still running on `today`, else None."""
        row = await self._db.fetch_one(
            "SELECT until_day FROM breaks WHERE guild_id = ? AND user_id = ? AND until_day >= ?",
            (guild_id, user_id, today),
        )
        return str(row["until_day"]) if row else None

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the day the member joined and the last day of any break."""
        joined = await self._db.fetch_all(
            "SELECT joined_on FROM accountability_members WHERE guild_id = ? AND user_id = ?",
            (member.guild_id, member.user_id),
        )
        breaks = await self._db.fetch_all(
            "SELECT until_day FROM breaks WHERE guild_id = ? AND user_id = ?",
            (member.guild_id, member.user_id),
        )
        return [{"joined_on": r["joined_on"]} for r in joined] + [
            {"break_until": r["until_day"]} for r in breaks
        ]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's place on the list and any break, and a join still queued."""
        self._writes.forget(_who(member.guild_id, member.user_id))
        removed = 0
        for table in self.tables:
            removed += await tx.execute(
                f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?",  # noqa: S608 - table names come from the class's fixed `tables`; values are parameters
                (member.guild_id, member.user_id),
            )
        return removed
