"""Repositories for /support: members' private plans and each server's own support line.

Plans are the most personal thing Bounceback stores, so the plan repository is
a member-data holder: /my-data exports it and /forget-me deletes it. A plan is
kept under a key of its own (the plans scope), never the key rejection counts
are kept under: its names and numbers would otherwise tell a database reader
whose counts are whose. Plans saved before they had their own key are moved on
sight, and /forget-me and /my-data reach them under either key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.support import SupportLine, SupportPlan
from bot.storage.port import Store, Transaction

PLAN_SCOPE = "plans"
Plan = tuple[SupportPlan, date]


class SupportPlanRepository:
    """One plan per member per server (guild 0 for plans written in a DM)."""

    section: str = "support_plan"
    tables: tuple[str, ...] = ("support_plans",)

    def __init__(self, db: Store, plan_key: Callable[[int, int], str]) -> None:
        self._db = db
        self._plan_key = plan_key  # (guild_id, user_id) -> the member's key in the plans scope

    async def get(self, guild_id: int, member_key: str) -> Plan | None:
        """Return the member's plan and the day it was last saved, if they have one."""
        row = await self._db.fetch_one(_SELECT_PLAN, (guild_id, member_key))
        return _plan(row) if row is not None else None

    async def adopt(self, guild_id: int, legacy_key: str, plan_key: str) -> Plan | None:
        """Move a plan saved under the member's rejection key to its own key; return it.

        A plan already under its own key is newer: the old one is then just deleted.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(_SELECT_PLAN, (guild_id, legacy_key))
            if row is None:
                return None
            newer = await tx.fetch_one(_SELECT_PLAN, (guild_id, plan_key))
            if newer is not None:
                await tx.execute(
                    "DELETE FROM support_plans WHERE guild_id = ? AND member_key = ?",
                    (guild_id, legacy_key),
                )
                return _plan(newer)
            await tx.execute(
                "UPDATE support_plans SET member_key = ? WHERE guild_id = ? AND member_key = ?",
                (plan_key, guild_id, legacy_key),
            )
        return _plan(row)

    async def save(self, guild_id: int, member_key: str, plan: SupportPlan, day: date) -> None:
        """Insert or replace the member's plan (under its own key)."""
        await self._db.execute(
            "INSERT INTO support_plans "
            "(guild_id, member_key, warning_signs, what_helps, people, reasons, updated_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id, member_key) DO UPDATE SET "
            "warning_signs = excluded.warning_signs, what_helps = excluded.what_helps, "
            "people = excluded.people, reasons = excluded.reasons, "
            "updated_on = excluded.updated_on",
            (
                guild_id,
                member_key,
                plan.warning_signs,
                plan.what_helps,
                plan.people,
                plan.reasons,
                day.isoformat(),
            ),
        )

    async def remove(self, guild_id: int, member_key: str) -> bool:
        """Delete the member's plan; False when there was none."""
        removed = await self._db.execute(
            "DELETE FROM support_plans WHERE guild_id = ? AND member_key = ?",
            (guild_id, member_key),
        )
        return removed == 1

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the member's plan, every part in full, and the day it was last saved."""
        out = []
        for key in self._keys(member):
            found = await self.get(member.guild_id, key)
            if found is not None:
                plan, day = found
                out.append({**plan.parts(), "updated_on": day.isoformat()})
        return out

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's plan in this server (the DM plan is guild 0's), under either key."""
        return await tx.execute(
            "DELETE FROM support_plans WHERE guild_id = ? AND member_key IN (?, ?)",
            (member.guild_id, *self._keys(member)),
        )

    def _keys(self, member: MemberRef) -> tuple[str, str]:
        """Return the plan's own key, then the rejection key plans were kept under before."""
        return self._plan_key(member.guild_id, member.user_id), member.member_key


_SELECT_PLAN = (
    "SELECT warning_signs, what_helps, people, reasons, updated_on FROM support_plans "
    "WHERE guild_id = ? AND member_key = ?"
)


def _plan(row: Any) -> Plan:
    plan = SupportPlan(
        warning_signs=str(row["warning_signs"]),
        what_helps=str(row["what_helps"]),
        people=str(row["people"]),
        reasons=str(row["reasons"]),
    )
    return plan, date.fromisoformat(str(row["updated_on"]))


class GuildSupportRepository:
    """The support line each server's admins set with /setup support."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def get(self, guild_id: int) -> SupportLine | None:
        """Return the server's own line, or None when its admins have not set one."""
        row = await self._db.fetch_one(
            "SELECT channel_id, role_id, note FROM guild_support WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return None
        return SupportLine(row["channel_id"], row["role_id"], row["note"])

    async def set(self, guild_id: int, line: SupportLine, at: str) -> None:
        """Store the server's line; an empty line removes it."""
        if line.is_empty:
            await self._db.execute("DELETE FROM guild_support WHERE guild_id = ?", (guild_id,))
            return
        await self._db.execute(
            "INSERT INTO guild_support (guild_id, channel_id, role_id, note, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, role_id = excluded.role_id, "
            "note = excluded.note, updated_at = excluded.updated_at",
            (guild_id, line.channel_id, line.role_id, line.note, at),
        )
