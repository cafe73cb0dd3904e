"""Repository for rejection entries: member key, stage and local day, nothing more."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.rejections import GroupFigure, Logged
from bot.domain.weeks import Span
from bot.storage.group_commit import GroupCommit
from bot.storage.port import Dialect, Statement, Store, Transaction

_COUNTS = (
    "(SELECT COUNT(*) FROM rejections WHERE guild_id = :g AND member_key = :k AND day = :d), "
    "(SELECT COUNT(*) FROM rejections WHERE guild_id = :g AND member_key = :k AND day >= :w), "
    "(SELECT COUNT(*) FROM rejections WHERE guild_id = :g AND member_key = :k)"
)
# The limit check, the insert and the counts, in one round trip. SQLite runs one
# write at a time, so a single statement is atomic; PostgreSQL needs the member
# locked before counting (see sql/postgres/0003_rejections.sql).
_LOG: dict[Dialect, str] = {
    "sqlite": (
        "INSERT INTO rejections (guild_id, member_key, stage, day) SELECT :g, :k, :s, :d "  # noqa: S608 - only the fixed `_COUNTS` sub-queries are interpolated; values are parameters
        "WHERE (SELECT COUNT(*) FROM rejections WHERE guild_id = :g AND member_key = :k "
        f"AND day = :d) < :n RETURNING {_COUNTS}"
    ),
    "postgres": "SELECT n_today, n_week, n_total FROM log_rejection(:g, :k, :s, :d, :w, :n) "
    "WHERE accepted",
}


# The group figures count completed days only: a member logging changes today's, never theirs;
# only /forget-me takes entries away. Counting every entry of a big server took ~9 ms (20,000
# entries) on the event loop, so each server's figures are kept this long, and dropped at once
# by a /forget-me in this process or, through the caches counter, in another.
FIGURES_KEPT_SECONDS = 60.0
_Kept = tuple[float, tuple[Span, ...], list[GroupFigure]]  # until (monotonic), spans, figures


class RejectionRepository:
    """Reads and writes rejection rows; also a member-data holder for /my-data and /forget-me."""

    section: str = "rejections"
    tables: tuple[str, ...] = ("rejections",)

    def __init__(
        self, db: Store, writes: GroupCommit, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self._writes = writes
        self._now = now
        self._kept: dict[int, _Kept] = {}
        self._forgets = 0  # deletions so far: a count read across one is not kept

    async def log(
        self, guild_id: int, member_key: str, stage: str, day: date, week_start: date, limit: int
    ) -> Logged:
        """Insert one entry unless the member already logged `limit` today.

        The limit check, the insert and the member's counts are one statement:
        atomic with many logs in flight (and processes), and committed with the logs
        queued beside it (group commit) before this returns.
        """
        params = {
            "g": guild_id,
            "k": member_key,
            "s": stage,
            "d": day.isoformat(),
            "w": week_start.isoformat(),
            "n": limit,
        }
        insert = Statement(_LOG[self._db.dialect], params)
        rows = await self._writes.write(insert, (guild_id, member_key))
        if rows:
            return Logged(True, int(rows[0][0]), int(rows[0][1]), int(rows[0][2]))
        refused = await self._db.fetch_one(f"SELECT {_COUNTS}", params)
        return Logged(False, *(int(x) for x in refused)) if refused else Logged(False, 0, 0, 0)

    async def undo_today(self, guild_id: int, member_key: str, day: date) -> str | None:
        """Delete the member's most recent entry if it is from `day`; return its stage."""
        rows = await self._db.execute_returning(
            "DELETE FROM rejections WHERE day = ? AND id = (SELECT MAX(id) FROM rejections "
            "WHERE guild_id = ? AND member_key = ?) RETURNING stage",
            (day.isoformat(), guild_id, member_key),
        )
        return str(rows[0]["stage"]) if rows else None

    async def member_entries(self, guild_id: int, member_key: str) -> list[tuple[date, str]]:
        """Return the member's (local day, stage) entries, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT day, stage FROM rejections WHERE guild_id = ? AND member_key = ? ORDER BY id",
            (guild_id, member_key),
        )
        return [(date.fromisoformat(r["day"]), str(r["stage"])) for r in rows]

    async def member_tally(self, guild_id: int, member_key: str) -> list[tuple[date, str, int]]:
        """Return how many entries the member logged per (local day, stage).

        /rejection stats needs only counts, and a member who logs a lot logs several a
        day: one row per busy day and stage is fewer rows to read and turn into dates.
        """
        rows = await self._db.fetch_all(
            "SELECT day, stage, COUNT(*) AS n FROM rejections "
            "WHERE guild_id = ? AND member_key = ? GROUP BY day, stage",
            (guild_id, member_key),
        )
        return [(date.fromisoformat(r["day"]), str(r["stage"]), int(r["n"])) for r in rows]

    async def group_figure(self, guild_id: int, span: Span) -> GroupFigure:
        """Entries and distinct contributors on the days of `span`."""
        if span.empty:
            return GroupFigure(0, 0)
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT member_key) AS m FROM rejections "
            "WHERE guild_id = ? AND day BETWEEN ? AND ?",
            (guild_id, span.first.isoformat(), span.last.isoformat()),
        )
        return GroupFigure(int(row["n"]), int(row["m"])) if row else GroupFigure(0, 0)

    async def group_figures(self, guild_id: int, spans: Sequence[Span]) -> list[GroupFigure]:
        """`group_figure` for each span (what /rejection stats shows), kept for a while."""
        wanted = tuple(spans)
        kept = self._kept.get(guild_id)
        if kept is not None and kept[1] == wanted and self._now() < kept[0]:
            return list(kept[2])
        forgets = self._forgets
        figures = await self._count_figures(guild_id, spans)
        if forgets == self._forgets:
            self._kept[guild_id] = (self._now() + FIGURES_KEPT_SECONDS, wanted, figures)
        return list(figures)

    def drop_cached(self) -> None:
        """Forget every kept figure: another process may have deleted entries."""
        self._forgets += 1
        self._kept.clear()

    async def _count_figures(self, guild_id: int, spans: Sequence[Span]) -> list[GroupFigure]:
        """`group_figure` for each span, in one trip to the database."""
        wanted = [(n, span) for n, span in enumerate(spans) if not span.empty]
        figures = [GroupFigure(0, 0)] * len(spans)
        if not wanted:
            return figures
        one = (
            "SELECT CAST(? AS INTEGER) AS i, COUNT(*) AS n, COUNT(DISTINCT member_key) AS m "
            "FROM rejections WHERE guild_id = ? AND day BETWEEN ? AND ?"
        )
        params = [
            value
            for n, span in wanted
            for value in (n, guild_id, span.first.isoformat(), span.last.isoformat())
        ]
        rows = await self._db.fetch_all(" UNION ALL ".join([one] * len(wanted)), params)
        for row in rows:
            figures[int(row["i"])] = GroupFigure(int(row["n"]), int(row["m"]))
        return figures

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Export the member's entries as they are stored: local day and stage only."""
        entries = await self.member_entries(member.guild_id, member.member_key)
        return [{"day": day.isoformat(), "stage": stage} for day, stage in entries]

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete every entry under the member's key in this server, and any still queued."""
        self._writes.forget((member.guild_id, member.member_key))
        self._forgets += 1
        self._kept.pop(member.guild_id, None)
        return await tx.execute(
            "DELETE FROM rejections WHERE guild_id = ? AND member_key = ?",
            (member.guild_id, member.member_key),
        )
