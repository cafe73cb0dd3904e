"""The weekly accountability thread: opened once, members added, a check-in, a recap.

Same exactly-once rule as the celebration: each run claims (server, kind,
week) first. The thread id is kept on the opening claim, so check-ins and the
recap go to that one thread even after a restart, and an archived thread is
never replaced by a second one in the same week.

Member adds are part of the opening. The claim records its progress (the
starter's id, then `opened` with the thread id) the moment each is known, and
catch-up after a restart finishes an opening that a crash interrupted: it adds
the members to the recorded thread (adding twice is harmless), or recovers the
thread the crash left unrecorded without posting a second starter.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.speaking import speaking
from bot.content.store import ContentStore
from bot.domain.accountability import AccountabilitySettings
from bot.domain.schedule import PostProgress, Weekly, due_week, last_due, within_grace
from bot.domain.weeks import week_start
from bot.services.accountability import THREAD_KIND
from bot.services.accountability_poster import GONE, CarryOffer, ThreadOpening, ThreadPoster
from bot.storage.accountability import GoalsRepository, MembershipRepository
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.wins import ScheduledPostsRepository

log = logging.getLogger(__name__)

OPEN, CHECKIN, RECAP = THREAD_KIND, "checkin", "recap"
FRESH = PostProgress("claimed", None, None)  # a claim just taken: nothing done before it


def weekly_slots(s: AccountabilitySettings, config: Config) -> dict[str, Weekly]:
    """Return the opening, check-in and recap slots, with config defaults for what is unset."""
    defaults = config.schedule
    zone = s.timezone or defaults.timezone
    time = s.time or defaults.accountability.time
    return {
        OPEN: Weekly(s.weekday or defaults.accountability.weekday, time, zone),
        CHECKIN: Weekly(s.checkin_weekday or defaults.checkin_weekday, time, zone),
        RECAP: Weekly(s.recap_weekday or defaults.recap_weekday, time, zone),
    }


@dataclass(frozen=True)
class WeeklyOutcome:
    """What one weekly run did, for the scheduler's log; `week` is None when not set up."""

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
        poster: ThreadPoster,
        rng: random.Random | None = None,
    ) -> None:
        self._settings, self._posts, self._members, self._goals = settings, posts, members, goals
        self._store, self._clock, self._config = store, clock, config
        self._poster = poster
        self._rng = rng or random.Random()  # noqa: S311 - picks wording variants, not secrets
        self._running: set[tuple[int, str, str]] = set()  # (guild, kind, week) this process acts on

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next post."""
        return self._store.library.messages

    def slots(self, s: AccountabilitySettings) -> dict[str, Weekly]:
        """Return this server's three slots (see `weekly_slots`)."""
        return weekly_slots(s, self._config)

    async def configured(self) -> list[AccountabilitySettings]:
        """Return every server that has set up an accountability channel."""
        return await self._settings.accountabilities()

    async def catch_up(self) -> list[WeeklyOutcome]:
        """Every due run of every server, opening first, finishing openings a crash cut short."""
        outcomes = []
        for settings in await self.configured():
            for kind in (OPEN, CHECKIN, RECAP):
                outcomes.append(await self._run(settings, kind, resume=kind == OPEN))
        return outcomes

    async def weekly_slots(self, guild_id: int | None = None) -> dict[int, dict[str, Weekly]]:
        """Return the three slots per configured server (one, or all): what the scheduler runs."""
        return {
            s.guild_id: self.slots(s)
            for s in await self.configured()
            if guild_id is None or s.guild_id == guild_id
        }

    async def run(self, guild_id: int, kind: str) -> WeeklyOutcome:
        """Run one server's job of `kind` when the scheduler fires it."""
        found = await self._settings.accountabilities(guild_id)
        if not found:
            return WeeklyOutcome(guild_id, kind, None, "not-set-up")
        return await self._run(found[0], kind)

    async def _run(
        self, settings: AccountabilitySettings, kind: str, resume: bool = False
    ) -> WeeklyOutcome:
        """Compose and post in the server's language (/setup language, else the server's own)."""
        guild = settings.guild_id
        language = await self._settings.language(guild) or self._poster.server_locale(guild)
        with speaking(language):
            return await self._run_now(settings, kind, resume)

    async def _run_now(
        self, settings: AccountabilitySettings, kind: str, resume: bool
    ) -> WeeklyOutcome:
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
        key = (settings.guild_id, kind, week)
        if key in self._running:  # the cron job and catch-up met on the same run
            return WeeklyOutcome(settings.guild_id, kind, week, "already-claimed")
        self._running.add(key)
        try:
            progress = await self._claim(settings.guild_id, kind, week, resume)
            if progress is None:
                return WeeklyOutcome(settings.guild_id, kind, week, "already-claimed")
            day = due.astimezone(slot.zone).date()
            status, detail, ref = await self._act(settings, kind, week, day, progress)
        finally:
            self._running.discard(key)
        stamp = self._stamp()
        await self._posts.finish(settings.guild_id, kind, week, status, stamp, ref, detail)
        if status == "failed":
            text = self.messages.pick(
                "delivery_failed",
                kind=self.messages.post_kind(kind),
                channel=settings.channel_id,
                reason=detail,
            )
            await self._poster.moderator_log(text)
        return WeeklyOutcome(settings.guild_id, kind, week, status)

    def _stamp(self) -> str:
        return self._clock.now().isoformat(timespec="seconds")

    async def _claim(
        self, guild_id: int, kind: str, week: str, resume: bool
    ) -> PostProgress | None:
        """Take a fresh claim, or (when resuming) one a crashed run left unfinished; else None."""
        if await self._posts.claim(guild_id, kind, week, self._stamp()):
            return FRESH
        if not resume:
            return None
        progress = await self._posts.progress(guild_id, kind, week)
        if progress is None or not progress.unfinished:
            return None
        log.info("finishing weekly %s for %s (%s) left %s", kind, guild_id, week, progress.status)
        return progress

    async def _act(
        self,
        settings: AccountabilitySettings,
        kind: str,
        week: str,
        day: date,
        progress: PostProgress,
    ) -> tuple[str, str | None, int | None]:
        if kind == OPEN:
            return await self._open(settings, week, day, progress)
        thread = await self._posts.status(settings.guild_id, OPEN, week)
        if thread is None or thread[0] != "sent" or thread[1] is None:
            return "skipped", "no thread this week", None
        text, carry = await self._text(settings.guild_id, kind, week)
        problem = await self._poster.post_in_thread(thread[1], text, carry)
        if problem is not None:
            log.warning("weekly %s for %s skipped: %s", kind, settings.guild_id, problem)
            return "skipped", problem, None
        return "sent", None, thread[1]

    async def _open(
        self, settings: AccountabilitySettings, week: str, day: date, progress: PostProgress
    ) -> tuple[str, str | None, int | None]:
        guild_id, thread_id = settings.guild_id, progress.thread_id
        if thread_id is None:
            opened = await self._poster.open_thread(
                self._opening(settings, week, day, progress),
                partial(self._starter_sent, guild_id, week),
            )
            if opened.thread_id is None:
                return "failed", opened.problem, None
            thread_id = opened.thread_id
            await self._posts.record_opened(guild_id, OPEN, week, thread_id, self._stamp())
        for user_id in await self._members.members_to_add(guild_id, day.isoformat()):
            outcome = await self._poster.add_to_thread(thread_id, user_id)
            if outcome == GONE:
                await self._members.leave(guild_id, user_id)
            elif outcome is not None:
                log.warning("could not add %s to the weekly thread: %s", user_id, outcome)
        return "sent", None, thread_id

    def _opening(
        self, settings: AccountabilitySettings, week: str, day: date, progress: PostProgress
    ) -> ThreadOpening:
        """Describe the week's thread; its name depends only on the week, so a restart finds it."""
        messages = self.messages
        monday = week_start(day)
        name = messages.pick("accountability_thread_name", date=messages.day(monday, short=True))
        text = f"{messages.pick('accountability_opening', self._rng)}\n\n{messages.pick('accountability_howto')}"
        return ThreadOpening(
            settings.guild_id,
            settings.channel_id,
            week,
            name,
            text,
            resuming=progress is not FRESH,
            starter_id=progress.message_id,
        )

    async def _starter_sent(self, guild_id: int, week: str, message_id: int) -> None:
        await self._posts.record_message(guild_id, OPEN, week, message_id, self._stamp())

    async def _text(self, guild_id: int, kind: str, week: str) -> tuple[str, CarryOffer | None]:
        if kind == CHECKIN:
            return self.messages.pick("accountability_checkin", self._rng), None
        goals, done, members = await self._goals.week_totals(guild_id, week)
        if goals == 0:
            return self.messages.pick("accountability_recap_empty"), None
        return self.messages.pick(
            "accountability_recap", members=members, goals=goals, done=done
        ), CarryOffer(week, self.messages.button_carry_goals)

    async def goals_line(self, guild_id: int, week: str) -> str | None:
        """Return the week's goal totals for the celebration, only above the privacy threshold."""
        goals, done, members = await self._goals.week_totals(guild_id, week)
        if goals == 0 or members < self._config.privacy.min_group_size:
            return None
        return self.messages.pick(
            "accountability_goals_line", members=members, goals=goals, done=done
        )
