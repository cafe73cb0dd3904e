"""The weekly accountability thread: opened once, members added, a check-in, a recap.

Same exactly-once rule as the celebration: each run claims (server, kind,
week) first. The thread id is kept on the opening claim, so check-ins and the
recap go to that one thread even after a restart, and an archived thread is
never replaced by a second one in the same week.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.schedule import Weekly, due_week, last_due, within_grace
from bot.services.goals import THREAD_KIND
from bot.storage.accountability import GoalsRepository, MembershipRepository
from bot.storage.guild_settings import AccountabilitySettings, GuildSettingsRepository
from bot.storage.wins import ScheduledPostsRepository

log = logging.getLogger(__name__)

OPEN, CHECKIN, RECAP = THREAD_KIND, "checkin", "recap"
GONE = "gone"  # a member who left the server: dropped quietly


def weekly_slots(s: AccountabilitySettings, config: Config) -> dict[str, Weekly]:
    """The opening, check-in and recap slots, with config defaults for what is unset."""
    defaults = config.schedule
    zone = s.timezone or defaults.timezone
    time = s.time or defaults.accountability.time
    return {
        OPEN: Weekly(s.weekday or defaults.accountability.weekday, time, zone),
        CHECKIN: Weekly(s.checkin_weekday or defaults.checkin_weekday, time, zone),
        RECAP: Weekly(s.recap_weekday or defaults.recap_weekday, time, zone),
    }


@dataclass(frozen=True)
class ThreadResult:
    thread_id: int | None
    problem: str | None = None


class ThreadPoster(Protocol):
    """The discord-side sender (bot.publishing) as this service sees it."""

    async def open_thread(self, channel_id: int, name: str, text: str) -> ThreadResult: ...

    async def add_to_thread(self, thread_id: int, user_id: int) -> str | None: ...

    async def post_in_thread(
        self, thread_id: int, text: str, carry_week: str | None = None
    ) -> str | None: ...

    async def moderator_log(self, text: str) -> bool: ...


@dataclass(frozen=True)
class WeeklyOutcome:
    guild_id: int
    kind: str
    week: str | None
    status: str  # sent | failed | skipped | not-due | already-claimed | not-set-up


class WeeklyThreadsService:
    """Runs the three weekly jobs of one server, or catches all of them up after downtime."""

    def __init__(
        self,
        settings: GuildSettingsRepository,
        posts: ScheduledPostsRepository,
        members: MembershipRepository,
        goals: GoalsRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
        poster: ThreadPoster | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._settings, self._posts, self._members, self._goals = settings, posts, members, goals
        self._store, self._clock, self._config = store, clock, config
        self.poster = poster
        self._rng = rng or random.Random()

    @property
    def messages(self) -> Messages:
        return self._store.library.messages

    def slots(self, s: AccountabilitySettings) -> dict[str, Weekly]:
        return weekly_slots(s, self._config)

    async def configured(self) -> list[AccountabilitySettings]:
        return await self._settings.accountabilities()

    async def catch_up(self) -> list[WeeklyOutcome]:
        """Every due-and-unclaimed run of every server, opening first."""
        outcomes = []
        for settings in await self.configured():
            for kind in (OPEN, CHECKIN, RECAP):
                outcomes.append(await self._run(settings, kind))
        return outcomes

    async def run(self, guild_id: int, kind: str) -> WeeklyOutcome:
        """The cron job's entry for one server and kind."""
        found = await self._settings.accountabilities(guild_id)
        if not found:
            return WeeklyOutcome(guild_id, kind, None, "not-set-up")
        return await self._run(found[0], kind)

    async def _run(self, settings: AccountabilitySettings, kind: str) -> WeeklyOutcome:
        slot, now = self.slots(settings)[kind], self._clock.now()
        due = last_due(slot, now)
        week = due_week(slot, due)
        result = WeeklyOutcome(settings.guild_id, kind, week, "not-due")
        if not within_grace(due, now, timedelta(hours=self._config.schedule.grace_period_hours)):
            if await self._posts.status(settings.guild_id, kind, week) is None:
                log.info(
                    "weekly %s for %s (%s) was due at %s, past the grace period: skipped",
                    kind,
                    settings.guild_id,
                    week,
                    due.isoformat(),
                )
            return result
        stamp = now.isoformat(timespec="seconds")
        if not await self._posts.claim(settings.guild_id, kind, week, stamp):
            return WeeklyOutcome(settings.guild_id, kind, week, "already-claimed")
        status, detail, ref = await self._act(
            settings, kind, week, due.astimezone(slot.zone).date()
        )
        await self._posts.finish(settings.guild_id, kind, week, status, stamp, ref, detail)
        if status == "failed" and self.poster is not None:
            text = self.messages.pick(
                "delivery_failed", kind=f"weekly {kind}", channel=settings.channel_id, reason=detail
            )
            await self.poster.moderator_log(text)
        return WeeklyOutcome(settings.guild_id, kind, week, status)

    async def _act(
        self, settings: AccountabilitySettings, kind: str, week: str, day: date
    ) -> tuple[str, str | None, int | None]:
        if self.poster is None:
            raise RuntimeError("weekly threads need a poster before they can run")
        if kind == OPEN:
            return await self._open(settings, week, day)
        thread = await self._posts.status(settings.guild_id, OPEN, week)
        if thread is None or thread[0] != "sent" or thread[1] is None:
            return "skipped", "no thread this week", None
        text, carry = await self._text(settings.guild_id, kind, week)
        problem = await self.poster.post_in_thread(thread[1], text, carry)
        if problem is not None:
            log.warning("weekly %s for %s skipped: %s", kind, settings.guild_id, problem)
            return "skipped", problem, None
        return "sent", None, thread[1]

    async def _open(
        self, settings: AccountabilitySettings, week: str, day: date
    ) -> tuple[str, str | None, int | None]:
        assert self.poster is not None
        messages = self.messages
        monday = day - timedelta(days=day.weekday())
        name = messages.pick("accountability_thread_name", date=f"{monday.day} {monday:%b}")
        text = f"{messages.pick('accountability_opening', self._rng)}\n\n{messages.pick('accountability_howto')}"
        opened = await self.poster.open_thread(settings.channel_id, name, text)
        if opened.thread_id is None:
            return "failed", opened.problem, None
        for user_id in await self._members.members_to_add(settings.guild_id, day.isoformat()):
            outcome = await self.poster.add_to_thread(opened.thread_id, user_id)
            if outcome == GONE:
                await self._members.leave(settings.guild_id, user_id)
            elif outcome is not None:
                log.warning("could not add %s to the weekly thread: %s", user_id, outcome)
        return "sent", None, opened.thread_id

    async def _text(self, guild_id: int, kind: str, week: str) -> tuple[str, str | None]:
        if kind == CHECKIN:
            return self.messages.pick("accountability_checkin", self._rng), None
        goals, done, members = await self._goals.week_totals(guild_id, week)
        if goals == 0:
            return self.messages.pick("accountability_recap_empty"), None
        return self.messages.pick(
            "accountability_recap", members=members, goals=goals, done=done
        ), week

    async def goals_line(self, guild_id: int, week: str) -> str | None:
        """The week's goal totals for the celebration, only above the privacy threshold."""
        goals, done, members = await self._goals.week_totals(guild_id, week)
        if goals == 0 or members < self._config.privacy.min_group_size:
            return None
        return self.messages.pick(
            "accountability_goals_line", members=members, goals=goals, done=done
        )
