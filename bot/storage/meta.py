"""Repository for bot-wide key/value facts that are not about any member."""

from __future__ import annotations

from bot.storage.port import Store


class MetaRepository:
    """Small facts such as the digest of the last synced command tree."""

    def __init__(self, db: Store) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """Return the stored value, or None when the key was never put."""
        row = await self._db.fetch_one("SELECT value FROM bot_meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def put(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing any earlier one."""
        await self._db.execute(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def swap(self, key: str, expected: str | None, value: str) -> bool:
        """Set `key` to `value` only if it still holds `expected` (None: absent); True if won.

        A compare-and-set in one statement on both backends, so of several processes
        swapping the same old value at once exactly one wins.
        """
        if expected is None:
            sql = "INSERT INTO bot_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING"
            return await self._db.execute(sql, (key, value)) == 1
        sql = "UPDATE bot_meta SET value = ? WHERE key = ? AND value = ?"
        return await self._db.execute(sql, (value, key, expected)) == 1
