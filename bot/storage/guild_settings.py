"""Per-server settings chosen with /setup; unset values fall back to the config defaults."""

from __future__ import annotations

from bot.domain.accountability import AccountabilitySettings
from bot.domain.celebration import CelebrationSettings
from bot.storage.port import Store


class GuildSettingsRepository:
    """Per-server settings; only what /setup has changed is stored.

    The timezone is read on every rejection log and goal command, so it is
    cached; every write here drops the server's cached value.
    """

    def __init__(self, db: Store) -> None:
        self._db = db
        self._zones: dict[int, str | None] = {}

    def forget_cached(self) -> None:
        """Drop every cached timezone: another process may have changed one."""
        self._zones.clear()

    async def timezone(self, guild_id: int) -> str | None:
        """Return the server's IANA zone, or None to use the config's default."""
        if guild_id not in self._zones:
            row = await self._db.fetch_one(
                "SELECT timezone FROM guild_settings WHERE guild_id = ?", (guild_id,)
            )
            self._zones[guild_id] = str(row["timezone"]) if row and row["timezone"] else None
        return self._zones[guild_id]

    async def language(self, guild_id: int) -> str | None:
        """Return the language chosen for the server's posts, or None to follow the server's."""
        row = await self._db.fetch_one(
            "SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return str(row["language"]) if row and row["language"] else None

    async def set_language(self, guild_id: int, language: str | None, at: str) -> None:
        """Save the language of the server's posts (None: follow the server's own)."""
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at",
            (guild_id, language, at),
        )

    async def celebration(self, guild_id: int) -> CelebrationSettings | None:
        """Return the server's celebration settings, or None when no channel is set."""
        found = await self.celebrations(guild_id)
        return found[0] if found else None

    async def celebrations(self, guild_id: int | None = None) -> list[CelebrationSettings]:
        """Every server with a celebration channel (or just one)."""
        rows = await self._db.fetch_all(
            "SELECT guild_id, celebration_channel_id, celebration_weekday, celebration_time, "
            "timezone FROM guild_settings WHERE celebration_channel_id IS NOT NULL "
            "AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?)",
            (guild_id, guild_id),
        )
        return [CelebrationSettings(*tuple(r)) for r in rows]

    async def set_celebration(
        self, guild_id: int, channel_id: int, weekday: str, time: str, timezone: str, at: str
    ) -> None:
        """Save the celebration channel and slot, and the server's timezone (`at` stamps it)."""
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, celebration_channel_id, celebration_weekday, "
            "celebration_time, timezone, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET celebration_channel_id = excluded.celebration_channel_id, "
            "celebration_weekday = excluded.celebration_weekday, celebration_time = excluded.celebration_time, "
            "timezone = excluded.timezone, updated_at = excluded.updated_at",
            (guild_id, channel_id, weekday, time, timezone, at),
        )
        self._zones.pop(guild_id, None)  # after the write: no stale re-read

    async def accountabilities(self, guild_id: int | None = None) -> list[AccountabilitySettings]:
        """Every server with an accountability channel (or just one)."""
        rows = await self._db.fetch_all(
            "SELECT guild_id, accountability_channel_id, accountability_weekday, accountability_time, "
            "checkin_weekday, recap_weekday, timezone FROM guild_settings "
            "WHERE accountability_channel_id IS NOT NULL AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?)",
            (guild_id, guild_id),
        )
        return [AccountabilitySettings(*tuple(r)) for r in rows]

    async def set_accountability(self, settings: AccountabilitySettings, at: str) -> None:
        """Save the weekly thread's channel, days and time, and the timezone (`at` stamps it)."""
        s = settings
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, accountability_channel_id, accountability_weekday, "
            "accountability_time, checkin_weekday, recap_weekday, timezone, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET "
            "accountability_channel_id = excluded.accountability_channel_id, "
            "accountability_weekday = excluded.accountability_weekday, "
            "accountability_time = excluded.accountability_time, "
            "checkin_weekday = excluded.checkin_weekday, recap_weekday = excluded.recap_weekday, "
            "timezone = excluded.timezone, updated_at = excluded.updated_at",
            (
                s.guild_id,
                s.channel_id,
                s.weekday,
                s.time,
                s.checkin_weekday,
                s.recap_weekday,
                s.timezone,
                at,
            ),
        )
        self._zones.pop(settings.guild_id, None)
