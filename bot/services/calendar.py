"""A server's own calendar: its timezone (set with /setup, else the default) and today's date."""

from __future__ import annotations

from datetime import date

from bot.clock import Clock
from bot.config import Config
from bot.domain.weeks import local_day
from bot.storage.guild_settings import GuildSettingsRepository


class ServerCalendar:
    """Answers "what day is it for this server?" the same way for every feature."""

    def __init__(self, settings: GuildSettingsRepository, clock: Clock, config: Config) -> None:
        self._settings, self._clock, self._config = settings, clock, config

    async def zone(self, guild_id: int) -> str:
        """Return the server's IANA timezone, or the configured default when it set none."""
        return await self._settings.timezone(guild_id) or self._config.schedule.timezone

    async def today(self, guild_id: int) -> date:
        """Return the date it is now in the server's timezone."""
        return local_day(self._clock.now(), await self.zone(guild_id))
