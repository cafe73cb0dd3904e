"""Exactly-once weekly posts: claims as leases on (guild, kind, week), their progress and parts.

A claim is a lease. Its owner (one process, `pid@host#token`) alone sends while
`lease_until` lies ahead, and renews it while a long post goes out. When the
lease runs out before the post is finished, any process may take it over with a
compare-and-set UPDATE, and only one wins. Every write a run makes after its
claim names the owner, so a process that lost its lease cannot finish the post
twice. Times are epoch seconds; the SQL is plain enough for SQLite and PostgreSQL.

Why one UPDATE is a safe compare-and-set on both: SQLite runs it under its
single write lock. PostgreSQL (READ COMMITTED) makes a second UPDATE of the
same row wait for the first to commit, then re-checks its WHERE against the
row the first one wrote, whose lease now lies ahead, so it changes nothing;
the concurrent INSERT ... ON CONFLICT DO NOTHING likewise waits and inserts
nothing. The takeover returns the row it won (RETURNING) and reads the parts
in the same transaction, so the progress it resumes from is the one it locked.
"""

from __future__ import annotations

from bot.domain.schedule import Claim, PostKey, PostProgress
from bot.storage.port import Executor, Row, Store

UNFINISHED = "status IN ('claimed', 'opened')"
WHERE_KEY = "guild_id = ? AND kind = ? AND week = ?"


def _key(key: PostKey) -> tuple[int, str, str]:
    return (key.guild_id, key.kind, key.week)


class ScheduledPostsRepository:
    """Claims, progress and outcomes of weekly posts, keyed (guild, kind, week), unique."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def claim(self, key: PostKey, owner: str, now: int, until: int, at: str) -> Claim | None:
        """Take the post's lease: a new claim, or one whose lease ran out unfinished; else None."""
        inserted = await self._db.execute(
            "INSERT INTO scheduled_posts (guild_id, kind, week, status, owner, lease_until, "
            "updated_at) VALUES (?, ?, ?, 'claimed', ?, ?, ?) "
            "ON CONFLICT (guild_id, kind, week) DO NOTHING",
            (*_key(key), owner, until, at),
        )
        if inserted == 1:
            return Claim(True, PostProgress("claimed", None, None))
        async with self._db.transaction() as tx:
            taken = await tx.execute_returning(
                f"UPDATE scheduled_posts SET owner = ?, lease_until = ?, updated_at = ? "  # noqa: S608 - constants only
                f"WHERE {WHERE_KEY} AND {UNFINISHED} AND lease_until <= ? "
                "RETURNING status, message_id, thread_id, upto",
                (owner, until, at, *_key(key), now),
            )
            if len(taken) != 1:
                return None
            row = taken[0]
            parts = await _parts(tx, key)
        return Claim(False, PostProgress(str(row[0]), row[1], row[2], parts, row[3]))

    async def renew(self, key: PostKey, owner: str, until: int) -> bool:
        """Push the lease out while the owner still holds it; False once it was taken over."""
        renewed = await self._db.execute(
            f"UPDATE scheduled_posts SET lease_until = ? "  # noqa: S608 - constants only
            f"WHERE {WHERE_KEY} AND owner = ? AND {UNFINISHED}",
            (until, *_key(key), owner),
        )
        return renewed == 1

    async def finish(
        self,
        key: PostKey,
        owner: str,
        status: str,
        at: str,
        message_id: int | None = None,
        detail: str | None = None,
    ) -> bool:
        """Record the outcome if `owner` still holds the claim; False when another process does.

        A message id recorded earlier is kept unless a new one is given.
        """
        finished = await self._db.execute(
            "UPDATE scheduled_posts SET status = ?, message_id = COALESCE(?, message_id), "  # noqa: S608 - constants only
            f"detail = ?, updated_at = ? WHERE {WHERE_KEY} AND owner = ? AND {UNFINISHED}",
            (status, message_id, detail, at, *_key(key), owner),
        )
        return finished == 1

    async def record_message(self, key: PostKey, owner: str, message_id: int, at: str) -> None:
        """Keep the first message's id the moment Discord returns it, before anything else."""
        await self._db.execute(
            "UPDATE scheduled_posts SET message_id = ?, updated_at = ? "  # noqa: S608 - constants only
            f"WHERE {WHERE_KEY} AND owner = ? AND status = 'claimed'",
            (message_id, at, *_key(key), owner),
        )

    async def record_opened(self, key: PostKey, owner: str, thread_id: int, at: str) -> None:
        """Mark the week's thread open: a restart adds its members instead of opening another."""
        await self._db.execute(
            "UPDATE scheduled_posts SET status = 'opened', thread_id = ?, updated_at = ? "  # noqa: S608 - constants only
            f"WHERE {WHERE_KEY} AND owner = ? AND status = 'claimed'",
            (thread_id, at, *_key(key), owner),
        )

    async def record_upto(self, key: PostKey, owner: str, upto: int) -> None:
        """Fix the newest row the post covers, before its first part goes out."""
        await self._db.execute(
            f"UPDATE scheduled_posts SET upto = ? WHERE {WHERE_KEY} AND owner = ? AND {UNFINISHED}",  # noqa: S608 - constants only
            (upto, *_key(key), owner),
        )

    async def record_part(self, key: PostKey, part: int, message_id: int) -> None:
        """Keep a sent part's message id; a part is the same message whoever sent it (its nonce)."""
        await self._db.execute(
            "INSERT INTO scheduled_post_parts (guild_id, kind, week, part, message_id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, kind, week, part) DO NOTHING",
            (*_key(key), part, message_id),
        )

    async def expired(self, kinds: tuple[str, ...], now: int, since: int) -> list[PostKey]:
        """Return unfinished claims of these kinds whose lease ran out between `since` and `now`."""
        marks = ", ".join("?" for _ in kinds)
        rows = await self._db.fetch_all(
            "SELECT guild_id, kind, week FROM scheduled_posts "  # noqa: S608 - placeholders only
            f"WHERE {UNFINISHED} AND kind IN ({marks}) AND lease_until <= ? AND lease_until > ? "
            "ORDER BY lease_until",
            (*kinds, now, since),
        )
        return [PostKey(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def status(self, guild_id: int, kind: str, week: str) -> tuple[str, int | None] | None:
        """Return the post's status and first message id; None when it was never claimed."""
        row = await self._db.fetch_one(
            f"SELECT status, message_id FROM scheduled_posts WHERE {WHERE_KEY}",  # noqa: S608 - constants only
            (guild_id, kind, week),
        )
        return (str(row["status"]), row["message_id"]) if row else None

    async def progress(self, key: PostKey) -> PostProgress | None:
        """Return how far the week's post got, for a run that finishes what a lapsed one began."""
        row = await self._db.fetch_one(
            "SELECT status, message_id, thread_id, upto FROM scheduled_posts "  # noqa: S608 - constants only
            f"WHERE {WHERE_KEY}",
            _key(key),
        )
        if row is None:
            return None
        return PostProgress(str(row[0]), row[1], row[2], await _parts(self._db, key), row[3])

    async def owner(self, key: PostKey) -> tuple[str | None, int] | None:
        """Return who holds the claim and until when (epoch seconds), for tests and the log."""
        row = await self._db.fetch_one(
            f"SELECT owner, lease_until FROM scheduled_posts WHERE {WHERE_KEY}",  # noqa: S608 - constants only
            _key(key),
        )
        return (row[0], int(row[1])) if row else None


async def _parts(db: Executor, key: PostKey) -> tuple[int, ...]:
    """Return the message ids of the parts already sent, in order, up to the first gap."""
    rows = await db.fetch_all(
        f"SELECT part, message_id FROM scheduled_post_parts WHERE {WHERE_KEY} ORDER BY part",  # noqa: S608 - constants only
        _key(key),
    )
    return _contiguous(rows)


def _contiguous(rows: list[Row]) -> tuple[int, ...]:
    """Return the message ids of parts 0, 1, 2 ... up to the first one missing."""
    sent: list[int] = []
    for row in rows:
        if row[0] != len(sent):
            break
        sent.append(int(row[1]))
    return tuple(sent)
