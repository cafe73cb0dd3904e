"""/win and /wins: note a small win in one step; it joins the next weekly celebration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.celebration import CelebrationSettings
from bot.domain.member_key import MemberKeys
from bot.domain.schedule import NextWeeks, Weekly, due_week, next_due
from bot.domain.weeks import local_day
from bot.domain.wins import Win
from bot.errors import UserFacingError
from bot.services.member_text import accepted_text
from bot.storage.group_commit import Forgotten
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.wins import WIN_SCOPE, WinsRepository

WIN_MAX = 300
OPEN_WEEKS_KEPT = 10_000
# Whether a server's celebration of a week was already claimed (posted, or being posted).
Posted = Callable[[int, str], Awaitable[bool]]


@dataclass(frozen=True)
class WinReceipt:
    """The saved win and whether this server has a celebration to show it in."""

    win: Win
    celebrated: bool


def slot_for(
    settings: CelebrationSettings | None, config: Config, timezone: str | None = None
) -> Weekly:
    """Return the server's celebration slot, with config defaults for anything not set."""
    default = config.schedule.celebration
    return Weekly(
        weekday=(settings.weekday if settings and settings.weekday else default.weekday),
        time=(settings.time if settings and settings.time else default.time),
        timezone=(settings.timezone if settings and settings.timezone else None)
        or timezone
        or config.schedule.timezone,
    )


class WinsService:
    """Member-facing win use cases."""

    def __init__(
        self,
        repo: WinsRepository,
        settings: GuildSettingsRepository,
        keys: MemberKeys,
        clock: Clock,
        store: ContentStore,
        config: Config,
        posted: Posted,
    ) -> None:
        self._repo, self._settings, self._keys = repo, settings, keys
        self._clock, self._store, self._config = clock, store, config
        self._next_weeks = NextWeeks()
        self._posted = posted
        self._open: dict[tuple[int, Weekly, str], str] = {}  # (server, slot, week) -> wins' week

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next reply."""
        return self._store.library.messages

    def owner(self, guild_id: int, user_id: int) -> str:
        """Return the wins-only member key, which can never be joined with rejection rows."""
        return self._keys.key(guild_id, user_id, WIN_SCOPE)

    async def celebration_week(self, guild_id: int) -> tuple[str, str, bool]:
        """(week key of the next celebration, today's local day, whether one is set up)."""
        settings = await self._settings.celebration(guild_id)
        slot = slot_for(settings, self._config, await self._settings.timezone(guild_id))
        now = self._clock.now()
        week = self._next_weeks.of(slot, now)
        if settings is not None:
            week = await self._open_week(guild_id, slot, week, now)
        return week, local_day(now, slot.timezone).isoformat(), settings is not None

    async def _open_week(self, guild_id: int, slot: Weekly, week: str, now: datetime) -> str:
        """Return the week new wins join: the next celebration's, unless that one went out.

        A server that moves its celebration later in a week whose post already went out
        (Friday 10:00 to 17:00, at 11:00) would otherwise key the afternoon's wins to a
        week that is never celebrated again. Asked once per server, slot and week: a
        week's post cannot go out before its time unless the slot changes.
        """
        key = (guild_id, slot, week)
        found = self._open.get(key)
        if found is None:
            found = week
            if await self._posted(guild_id, week):
                following = next_due(slot, now).astimezone(slot.zone).date() + timedelta(days=7)
                found = due_week(slot, slot.at(following))
            if len(self._open) >= OPEN_WEEKS_KEPT:  # bounded: forget all rather than track age
                self._open.clear()
            self._open[key] = found
        return found

    async def add(self, guild_id: int, user_id: int, text: str, anonymous: bool) -> WinReceipt:
        """Save a win (text checked) for the next celebration."""
        body = accepted_text(text, WIN_MAX, self.messages)
        week, day, celebrated = await self.celebration_week(guild_id)
        named = None if anonymous else user_id
        owner = self.owner(guild_id, user_id)
        try:
            win = await self._repo.add(guild_id, owner, named, body, week, day)
        except Forgotten:
            raise UserFacingError(self.messages.pick("forgotten_meanwhile")) from None
        return WinReceipt(win, celebrated)

    async def own(self, guild_id: int, user_id: int) -> list[Win]:
        """Return the member's wins waiting for the next celebration."""
        week, _, _ = await self.celebration_week(guild_id)
        return await self._repo.own(guild_id, self.owner(guild_id, user_id), week)

    async def delete(self, guild_id: int, user_id: int, win_id: int) -> None:
        """Delete one of the member's own wins; a kind refusal if it is gone or not theirs."""
        if not await self._repo.delete_own(guild_id, self.owner(guild_id, user_id), win_id):
            raise UserFacingError(self.messages.pick("win_gone"))
