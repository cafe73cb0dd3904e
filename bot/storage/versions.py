"""Counters every process of a cluster reads to learn that another one changed something.

Rows of `bot_meta`: `version:content` (the content files were re-read),
`version:caches` (data some process may hold in memory changed: a moderator's tip
edit, a /forget-me) and `version:forgets` (how many /forget-me ran, bumped with the
forget marks of `forget_marks.py`; polling it tells each process the count early). Bumping is one statement on both backends, so concurrent bumps
never lose one; reading both is one cheap indexed query, polled every few seconds.
"""

from __future__ import annotations

from bot.storage.port import Store

CONTENT, CACHES, FORGETS = "version:content", "version:caches", "version:forgets"
_ALL = (CONTENT, CACHES, FORGETS)


class VersionsRepository:
    """Bump and read the cluster's change counters."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def bump(self, key: str) -> None:
        """Add one to the counter, creating it at 1."""
        await self._db.execute(
            "INSERT INTO bot_meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
            "SET value = CAST(CAST(bot_meta.value AS INTEGER) + 1 AS TEXT)",
            (key,),
        )

    async def read(self) -> dict[str, int]:
        """Return every counter (0 for one never bumped)."""
        rows = await self._db.fetch_all(
            "SELECT key, value FROM bot_meta WHERE key IN (?, ?, ?)", _ALL
        )
        found = {str(row["key"]): int(row["value"]) for row in rows}
        return {key: found.get(key, 0) for key in _ALL}
