"""/setup for schedules: validate a server's weekday, time and timezone, and report next runs."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.config import WEEKDAYS, Config, check_timezone, suggest_timezone, zone_keys
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.accountability import AccountabilitySettings
from bot.domain.locales import ENGLISH, ENGLISH_NAME
from bot.domain.moderation import AuditEntry
from bot.domain.schedule import Weekly, next_due
from bot.errors import UserFacingError
from bot.services.accountability_schedule import CHECKIN, OPEN, RECAP, weekly_slots
from bot.services.celebrations import KIND as CELEBRATION
from bot.services.wins import slot_for
from bot.storage.audit import AuditRepository
from bot.storage.guild_settings import GuildSettingsRepository

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    """One weekly post of a server, for /setup show: its kind, and its name as moderators see it."""

    kind: str
    name: str
    channel_id: int
    slot: Weekly
    next_run: datetime


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """IANA zone names, sorted, computed once (the set is large and never changes at run time)."""
    return tuple(sorted(z for z in zone_keys() if "/" in z or z == "UTC"))


def matching_timezones(typed: str, limit: int = 25) -> list[str]:
    """Zones containing what was typed (spaces as underscores), best matches first."""
    wanted = typed.strip().casefold().replace(" ", "_")
    if not wanted:
        return ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles"]
    hits = [z for z in timezone_names() if wanted in z.casefold()]
    hits.sort(key=lambda z: (not z.casefold().split("/")[-1].startswith(wanted), len(z)))
    return hits[:limit]


class GuildSetupService:
    """Per-server schedule settings."""

    def __init__(
        self,
        settings: GuildSettingsRepository,
        audit: AuditRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
        changed: Callable[[], Awaitable[None]],
    ) -> None:
        self._settings, self._audit, self._store = settings, audit, store
        self._clock, self._config = clock, config
        self._changed = changed  # other processes may cache the server's timezone

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next reply."""
        return self._store.library.messages

    async def set_celebrations(
        self,
        guild_id: int,
        actor_id: int,
        channel_id: int,
        weekday: str | None,
        time: str | None,
        timezone: str | None,
    ) -> Weekly:
        """Save where and when the weekly celebration is posted; defaults fill what is left out."""
        current = await self._settings.celebration(guild_id)
        zone = timezone.strip() if timezone else await self._settings.timezone(guild_id)
        slot = slot_for(current, self._config, zone)
        slot = Weekly(
            weekday or slot.weekday,
            self._time(time) if time else slot.time,
            self._zone(zone or slot.timezone),
        )
        if slot.weekday not in WEEKDAYS:
            raise UserFacingError(self.messages.pick("unknown_choice"))
        stamp = self._clock.now().isoformat(timespec="seconds")
        await self._settings.set_celebration(
            guild_id, channel_id, slot.weekday, slot.time, slot.timezone, stamp
        )
        await self._changed()
        after = json.dumps(
            {
                "channel": channel_id,
                "weekday": slot.weekday,
                "time": slot.time,
                "timezone": slot.timezone,
            }
        )
        await self._audit.record(
            AuditEntry(guild_id, actor_id, "setup.celebrations", "celebrations", None, after, stamp)
        )
        return slot

    async def set_accountability(
        self, guild_id: int, actor_id: int, channel_id: int, choices: dict[str, str | None]
    ) -> AccountabilitySettings:
        """Save where and when the weekly thread opens, and the check-in and recap days."""
        current = await self._settings.accountabilities(guild_id)
        before = current[0] if current else None
        defaults = self._config.schedule
        zone = choices.get("timezone") or await self._settings.timezone(guild_id)
        time = choices.get("time")

        def pick(key: str, old: str | None, default: str) -> str:
            return choices.get(key) or old or default

        settings = AccountabilitySettings(
            guild_id=guild_id,
            channel_id=channel_id,
            weekday=pick(
                "weekday", before.weekday if before else None, defaults.accountability.weekday
            ),
            time=self._time(time)
            if time
            else pick("time", before.time if before else None, defaults.accountability.time),
            checkin_weekday=pick(
                "checkin", before.checkin_weekday if before else None, defaults.checkin_weekday
            ),
            recap_weekday=pick(
                "recap", before.recap_weekday if before else None, defaults.recap_weekday
            ),
            timezone=self._zone((zone or defaults.timezone).strip()),
        )
        self._check_day_order(settings)
        stamp = self._clock.now().isoformat(timespec="seconds")
        await self._settings.set_accountability(settings, stamp)
        await self._changed()
        after = json.dumps(settings.__dict__)
        entry = AuditEntry(
            guild_id, actor_id, "setup.accountability", "accountability", None, after, stamp
        )
        await self._audit.record(entry)
        return settings

    def _check_day_order(self, settings: AccountabilitySettings) -> None:
        """Refuse days out of order: a check-in before its week's opening finds no thread.

        A week's posts are keyed by the ISO week (Monday to Sunday) they fall in, so the
        thread must open no later than the check-in, and the recap come no earlier.
        """
        opening, checkin, recap = (
            WEEKDAYS.index(str(day))
            for day in (settings.weekday, settings.checkin_weekday, settings.recap_weekday)
        )
        words = self.messages
        if checkin < opening:
            raise UserFacingError(
                words.pick(
                    "setup_opening_after_checkin",
                    weekday=words.weekday(str(settings.weekday)),
                    checkin=words.weekday(str(settings.checkin_weekday)),
                )
            )
        if recap < checkin:
            raise UserFacingError(
                words.pick(
                    "setup_recap_before_checkin",
                    checkin=words.weekday(str(settings.checkin_weekday)),
                    recap=words.weekday(str(settings.recap_weekday)),
                )
            )

    def languages(self) -> dict[str, str]:
        """Return the languages a server may choose for its posts: code -> the language's own name."""
        shipped = self._store.library.translations
        return {ENGLISH: ENGLISH_NAME, **{code: t.info.name for code, t in shipped.items()}}

    def language_name(self, code: str | None) -> str:
        """Name the language a locale is served in (its own name; English when untranslated)."""
        translation = self._store.library.translation(code)
        return translation.info.name if translation else ENGLISH_NAME

    async def language(self, guild_id: int) -> str | None:
        """Return the language chosen with /setup language (None: the server's own)."""
        return await self._settings.language(guild_id)

    async def set_language(self, guild_id: int, actor_id: int, code: str | None) -> None:
        """Choose the language of the server's posts; None follows the server's own setting."""
        if code is not None and code not in self.languages():
            raise UserFacingError(self.messages.pick("unknown_choice"))
        stamp = self._clock.now().isoformat(timespec="seconds")
        before = await self._settings.language(guild_id)
        await self._settings.set_language(guild_id, code, stamp)
        await self._audit.record(
            AuditEntry(guild_id, actor_id, "setup.language", "language", before, code, stamp)
        )

    async def schedules(self, guild_id: int) -> list[Schedule]:
        """Every weekly post this server has, with its next run."""
        found = []
        now, words = self._clock.now(), self.messages
        settings = await self._settings.celebration(guild_id)
        if settings is not None:
            slot = slot_for(settings, self._config)
            name, next_run = words.schedule_celebration, next_due(slot, now)
            found.append(Schedule(CELEBRATION, name, settings.channel_id, slot, next_run))
        names = {
            OPEN: words.schedule_thread,
            CHECKIN: words.schedule_checkin,
            RECAP: words.schedule_recap,
        }
        for weekly in await self._settings.accountabilities(guild_id):
            for kind, slot in weekly_slots(weekly, self._config).items():
                next_run = next_due(slot, now)
                found.append(Schedule(kind, names[kind], weekly.channel_id, slot, next_run))
        return found

    def _time(self, value: str) -> str:
        match = _TIME.match(value.strip())
        if match is None:
            raise UserFacingError(self.messages.pick("setup_bad_time", value=value[:20]))
        return f"{int(match[1]):02d}:{match[2]}"

    def _zone(self, value: str) -> str:
        if check_timezone(value) is None:
            return value
        hint = suggest_timezone(value)
        extra = " " + self.messages.pick("setup_timezone_hint", zone=hint) if hint else ""
        raise UserFacingError(
            self.messages.pick("setup_bad_timezone", value=value[:40], hint=extra)
        )
