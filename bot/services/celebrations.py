"""The weekly celebration: claimed once per server and week, composed, posted, reported.

Exactly once comes from the database, not from the scheduler: every run first
claims (server, "celebration", week) under a unique key; only the claimer
posts. Cron firing twice, two bot processes, or a restart at the due minute
all end in one post.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.speaking import speaking
from bot.content.store import ContentStore
from bot.domain.celebration import CelebrationPart, CelebrationSettings, WinLine, compose, shown_win
from bot.domain.rejections import visible
from bot.domain.schedule import Weekly, due_week, last_due, within_grace
from bot.domain.weeks import Span, completed, this_week
from bot.services.wins import slot_for
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.rejections import RejectionRepository
from bot.storage.wins import ScheduledPostsRepository, WinsRepository

log = logging.getLogger(__name__)
KIND = "celebration"
GoalsLine = Callable[[int, str], Awaitable[str | None]]


@dataclass(frozen=True)
class Delivery:
    """What happened when posting: the first message id, or why it failed."""

    message_id: int | None
    problem: str | None = None


class Poster(Protocol):
    """The discord-side sender (bot.publishing) as the service sees it."""

    async def post_parts(self, channel_id: int, parts: list[CelebrationPart]) -> Delivery:
        """Post the parts in order; the first message's id, or the problem that stopped it."""
        ...

    async def moderator_log(self, text: str) -> bool:
        """Tell the moderators about a failed run; False when there is no log channel."""
        ...

    def server_locale(self, guild_id: int) -> str | None:
        """Return the server's own preferred locale, if known."""
        ...


@dataclass(frozen=True)
class RunOutcome:
    """Why a run did or did not post (logged, and read by tests and benchmarks)."""

    guild_id: int
    week: str | None
    status: str  # sent | failed | skipped-empty | not-due | already-claimed | not-set-up

    @property
    def kind(self) -> str:
        """Name the job like the other weekly features' outcomes, for one shared log line."""
        return KIND


class CelebrationService:
    """Runs one server's weekly celebration, or catches up all of them after downtime."""

    def __init__(
        self,
        wins: WinsRepository,
        posts: ScheduledPostsRepository,
        settings: GuildSettingsRepository,
        rejections: RejectionRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
        poster: Poster,
        goals_line: GoalsLine,
        rng: random.Random | None = None,
    ) -> None:
        self._wins, self._posts, self._settings, self._rejections = (
            wins,
            posts,
            settings,
            rejections,
        )
        self._store, self._clock, self._config = store, clock, config
        self._poster = poster
        self._rng = rng or random.Random()  # noqa: S311 - picks wording variants, not secrets
        self._goals_line = goals_line

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next post."""
        return self._store.library.messages

    @property
    def grace(self) -> timedelta:
        """Return how late a missed celebration may still go out."""
        return timedelta(hours=self._config.schedule.grace_period_hours)

    def slot(self, settings: CelebrationSettings) -> Weekly:
        """Return the server's weekly slot, with config defaults for what it has not set."""
        return slot_for(settings, self._config)

    async def configured(self) -> list[CelebrationSettings]:
        """Return every server that has set up a celebration channel."""
        return await self._settings.celebrations()

    async def catch_up(self) -> list[RunOutcome]:
        """Post every celebration that is due within the grace period and not yet claimed."""
        return [await self._run(s) for s in await self.configured()]

    async def weekly_slots(self, guild_id: int | None = None) -> dict[int, dict[str, Weekly]]:
        """Return the slot per configured server (one, or all): what the scheduler runs."""
        return {
            s.guild_id: {KIND: self.slot(s)}
            for s in await self.configured()
            if guild_id is None or s.guild_id == guild_id
        }

    async def run(self, guild_id: int, kind: str = KIND) -> RunOutcome:
        """Run this server's celebration when the scheduler fires, if it is due now."""
        settings = await self._settings.celebration(guild_id)
        if settings is None:
            return RunOutcome(guild_id, None, "not-set-up")
        return await self._run(settings)

    async def _run(self, settings: CelebrationSettings) -> RunOutcome:
        """Compose and post in the server's language (/setup language, else the server's own)."""
        guild = settings.guild_id
        language = await self._settings.language(guild) or self._poster.server_locale(guild)
        with speaking(language):
            return await self._run_now(settings)

    async def _run_now(self, settings: CelebrationSettings) -> RunOutcome:
        slot, now = self.slot(settings), self._clock.now()
        due = last_due(slot, now)
        week = due_week(slot, due)
        if not within_grace(due, now, self.grace):
            if await self._posts.status(settings.guild_id, KIND, week) is None:
                log.info(
                    "celebration for %s (%s) was due at %s, past the grace period: skipped",
                    settings.guild_id,
                    week,
                    due.isoformat(),
                )
            return RunOutcome(settings.guild_id, week, "not-due")
        stamp = now.isoformat(timespec="seconds")
        if not await self._posts.claim(settings.guild_id, KIND, week, stamp):
            return RunOutcome(settings.guild_id, week, "already-claimed")
        parts = await self.compose(settings.guild_id, week, slot, due)
        if parts is None:
            await self._posts.finish(
                settings.guild_id, KIND, week, "skipped", stamp, detail="no wins"
            )
            return RunOutcome(settings.guild_id, week, "skipped-empty")
        return await self._deliver(settings, week, parts)

    async def _deliver(
        self, settings: CelebrationSettings, week: str, parts: list[CelebrationPart]
    ) -> RunOutcome:
        delivery = await self._poster.post_parts(settings.channel_id, parts)
        stamp = self._clock.now().isoformat(timespec="seconds")
        if delivery.problem is None:
            await self._posts.finish(
                settings.guild_id, KIND, week, "sent", stamp, delivery.message_id
            )
            return RunOutcome(settings.guild_id, week, "sent")
        await self._posts.finish(
            settings.guild_id, KIND, week, "failed", stamp, detail=delivery.problem
        )
        log.warning("celebration for %s (%s) failed: %s", settings.guild_id, week, delivery.problem)
        text = self.messages.pick(
            "delivery_failed",
            kind=self.messages.post_kind(KIND),
            channel=settings.channel_id,
            reason=delivery.problem,
        )
        await self._poster.moderator_log(text)
        return RunOutcome(settings.guild_id, week, "failed")

    async def compose(
        self, guild_id: int, week: str, slot: Weekly, due: datetime
    ) -> list[CelebrationPart] | None:
        """Build the post for `week`; None when it had no wins and empty weeks are skipped."""
        messages = self.messages
        wins = await self._wins.for_week(guild_id, week)
        title = messages.pick("celebration_title")
        group = await self._group_lines(guild_id, week, slot, due)
        if not wins:
            if self._config.celebrations.empty_week == "skip":
                return None
            quiet = messages.pick("celebration_empty", self._rng)
            return [CelebrationPart(title, "\n\n".join(x for x in (quiet, group) if x))]
        lines = [WinLine(shown_win(w.text), f"<@{w.user_id}>" if w.user_id else None) for w in wins]
        return compose(
            title,
            messages.pick("celebration_opening", self._rng),
            lines,
            group,
            messages.pick("celebration_closing", self._rng),
        )

    async def _group_lines(
        self, guild_id: int, week: str, slot: Weekly, due: datetime
    ) -> str | None:
        """Return the group's courage and goal lines, each only above the privacy threshold."""
        courage = await self._courage(guild_id, slot, due)
        goals = await self._goals_line(guild_id, week)
        return "\n".join(x for x in (courage, goals) if x) or None

    async def _courage(self, guild_id: int, slot: Weekly, due: datetime) -> str | None:
        """Count the week's group rejections (finished days), only above the privacy threshold."""
        day = due.astimezone(slot.zone).date()
        span: Span = completed(this_week(day), day)
        figure = await self._rejections.group_figure(guild_id, span)
        if figure.entries == 0 or not visible(
            figure.contributors, self._config.privacy.min_group_size
        ):
            return None
        return self.messages.pick("celebration_courage", count=figure.entries)
