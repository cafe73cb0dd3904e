"""The weekly accountability thread: opened once, members added, a check-in, a recap.

Same exactly-once rule as the celebration: each run takes the lease on (server,
kind, week) first (`services/weekly_runs.py`), and every message carries a
nonce derived from that key. The thread id is kept on the opening claim, so
check-ins and the recap go to that one thread even after a restart, and an
archived thread is never replaced by a second one in the same week.

Member adds are part of the opening. The claim records its progress (the
starter's id, then `opened` with the thread id) the moment each is known, and
a run that takes over a lapsed claim finishes the opening: it adds the members
to the recorded thread (adding twice is harmless), or recovers the thread the
dead run left unrecorded without posting a second starter.
"""

from __future__ import annotations

import logging
import random
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.speaking import speaking
from bot.content.store import ContentStore
from bot.domain.accountability import AccountabilitySettings
from bot.domain.schedule import Claim, PostKey, Weekly, due_week, last_due, within_grace
from bot.domain.shards import Owns, everyone
from bot.domain.weeks import week_start
from bot.services.accountability_openings import OpeningWatch
from bot.services.accountability_poster import GONE, CarryOffer, ThreadOpening, ThreadPoster
from bot.services.accountability_schedule import CHECKIN, KINDS, OPEN, WeeklyOutcome, weekly_slots
from bot.services.weekly_runs import LeaseLost, Leases, Problem
from bot.storage.accountability import GoalsRepository, MembershipRepository
from bot.storage.guild_settings import GuildSettingsRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Run:
    """One run under its lease: the server, the post's key, its local day, when to give up."""

    settings: AccountabilitySettings
    key: PostKey
    day: date
    deadline: datetime


class WeeklyThreadsService:
    """Runs the three weekly jobs of one server, or catches all of them up after downtime."""

    def __init__(
        self,
        settings: GuildSettingsRepository,
        leases: Leases,
        members: MembershipRepository,
        goals: GoalsRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
        poster: ThreadPoster,
        rng: random.Random | None = None,
    ) -> None:
        self._settings, self._leases, self._members, self._goals = settings, leases, members, goals
        self._store, self._clock, self._config = store, clock, config
        self._poster = poster
        self._rng = rng or random.Random()  # noqa: S311 - picks wording variants, not secrets
        self._openings = OpeningWatch(leases, clock)  # waits for the week's thread

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next post."""
        return self._store.library.messages

    @property
    def grace(self) -> timedelta:
        """Return how late a missed weekly run may still happen."""
        return timedelta(hours=self._config.schedule.grace_period_hours)

    def slots(self, s: AccountabilitySettings) -> dict[str, Weekly]:
        """Return this server's three slots (see `weekly_slots`)."""
        return weekly_slots(s, self._config)

    async def configured(self) -> list[AccountabilitySettings]:
        """Return every server that has set up an accountability channel."""
        return await self._settings.accountabilities()

    async def catch_up(self, owns: Owns = everyone) -> list[WeeklyOutcome]:
        """Every due run of every own server, opening first, finishing openings cut short."""
        outcomes = []
        for settings in await self.configured():
            if not owns(settings.guild_id):
                continue
            for kind in KINDS:
                outcomes.append(await self._run(settings, kind))
        return outcomes

    async def resume_lapsed(self, owns: Owns = everyone) -> list[WeeklyOutcome]:
        """Finish own servers' runs whose owner's lease ran out (a process died mid-run)."""
        lapsed = await self._leases.lapsed(KINDS, self.grace)
        return [await self.run(key.guild_id, key.kind) for key in lapsed if owns(key.guild_id)]

    async def weekly_slots(self, guild_id: int | None = None) -> dict[int, dict[str, Weekly]]:
        """Return the three slots per configured server (one, or all): what the scheduler runs."""
        return {
            s.guild_id: self.slots(s)
            for s in await self.configured()
            if guild_id is None or s.guild_id == guild_id
        }

    async def run(self, guild_id: int, kind: str) -> WeeklyOutcome:
        """Run one server's job of `kind` when the scheduler fires it."""
        async with self._openings.announced(guild_id) if kind == OPEN else nullcontext():
            found = await self._settings.accountabilities(guild_id)
            if not found:
                return WeeklyOutcome(guild_id, kind, None, "not-set-up")
            return await self._run(found[0], kind)

    async def _run(self, settings: AccountabilitySettings, kind: str) -> WeeklyOutcome:
        """Compose and post in the server's language (/setup language, else the server's own)."""
        guild = settings.guild_id
        async with self._openings.announced(guild) if kind == OPEN else nullcontext():
            language = await self._settings.language(guild) or self._poster.server_locale(guild)
            with speaking(language):
                return await self._run_now(settings, kind)

    async def _run_now(self, settings: AccountabilitySettings, kind: str) -> WeeklyOutcome:
        slot, now = self.slots(settings)[kind], self._clock.now()
        due = last_due(slot, now)
        key = PostKey(settings.guild_id, kind, due_week(slot, due))
        if not within_grace(due, now, self.grace):
            if await self._leases.progress(key) is None:
                log.info(
                    "weekly %s for %s (%s) was due at %s, past the grace period: skipped",
                    kind,
                    settings.guild_id,
                    key.week,
                    due.isoformat(),
                )
            return WeeklyOutcome(settings.guild_id, kind, key.week, "not-due")
        run = _Run(settings, key, due.astimezone(slot.zone).date(), due + self.grace)
        async with self._leases.held(key) as claim:
            if claim is None:
                return WeeklyOutcome(settings.guild_id, kind, key.week, "already-claimed")
            try:
                status, problem, ref = await self._act(run, claim)
            except LeaseLost:
                log.warning("weekly %s: another process took it over", key)
                return WeeklyOutcome(settings.guild_id, kind, key.week, "lease-lost")
            detail = problem.reason if problem else None
            if await self._leases.finish(key, status, ref, detail) and status == "failed":
                await self._report(settings, kind, detail)
        return WeeklyOutcome(settings.guild_id, kind, key.week, status)

    async def _report(
        self, settings: AccountabilitySettings, kind: str, reason: str | None
    ) -> None:
        log.warning("weekly %s for %s failed: %s", kind, settings.guild_id, reason)
        text = self.messages.pick(
            "delivery_failed",
            kind=self.messages.post_kind(kind),
            channel=settings.channel_id,
            reason=reason,
        )
        await self._poster.moderator_log(text)

    async def _act(self, run: _Run, claim: Claim) -> tuple[str, Problem | None, int | None]:
        if run.key.kind == OPEN:
            return await self._open(run, claim)
        slots = self.slots(run.settings)
        thread_id = await self._openings.week_thread(run.key, slots, run.deadline, self.grace)
        if thread_id is None:
            return "skipped", Problem("no thread this week"), None
        text, carry = await self._text(run.key.guild_id, run.key.kind, run.key.week)
        problem = await self._leases.retrying(
            run.key,
            partial(self._poster.post_in_thread, run.key, thread_id, text, carry),
            run.deadline,
        )
        return ("failed", problem, None) if problem else ("sent", None, thread_id)

    async def _open(self, run: _Run, claim: Claim) -> tuple[str, Problem | None, int | None]:
        """Open the thread (retrying Discord's bad moments), then add the members to it."""
        guild_id, thread_id = run.key.guild_id, claim.progress.thread_id
        if thread_id is None:
            opening = self._opening(run, claim)
            opened: list[int] = []

            async def starter_sent(message_id: int) -> None:
                nonlocal opening
                await self._leases.record_message(run.key, message_id)
                opening = replace(opening, starter_id=message_id)

            async def attempt() -> Problem | None:
                nonlocal opening
                result = await self._poster.open_thread(opening, starter_sent)
                opening = replace(opening, resuming=True)  # a retry looks before it posts
                opened.extend([result.thread_id] if result.thread_id else [])
                return result.problem

            problem = await self._leases.retrying(run.key, attempt, run.deadline)
            if not opened:
                return "failed", problem, None
            thread_id = opened[0]
            await self._leases.record_opened(run.key, thread_id)
        for user_id in await self._members.members_to_add(guild_id, run.day.isoformat()):
            outcome = await self._poster.add_to_thread(thread_id, user_id)
            if outcome == GONE:
                await self._members.leave(guild_id, user_id)
            elif outcome is not None:
                log.warning("could not add %s to the weekly thread: %s", user_id, outcome)
        return "sent", None, thread_id

    def _opening(self, run: _Run, claim: Claim) -> ThreadOpening:
        """Describe the week's thread; its name depends only on the week, so a restart finds it."""
        messages = self.messages
        monday = week_start(run.day)
        name = messages.pick("accountability_thread_name", date=messages.day(monday, short=True))
        text = f"{messages.pick('accountability_opening', self._rng)}\n\n{messages.pick('accountability_howto')}"
        return ThreadOpening(
            run.settings.guild_id,
            run.settings.channel_id,
            run.key.week,
            name,
            text,
            resuming=not claim.fresh,
            starter_id=claim.progress.message_id,
        )

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
