"""The weekly celebration: claimed once per server and week, composed, posted, reported.

Exactly once comes from the database, not from the scheduler: every run first
takes the lease on (server, "celebration", week); only the lease holder posts
(`services/weekly_runs.py`). Cron firing twice, two bot processes, or a
restart at the due minute all end in one post. A long week is split into
parts; each part is recorded as it goes out, and a run that takes over a
lapsed lease composes the same parts (the same wins, wording drawn from the
server and week) and continues from the first part not yet sent.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Sequence
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
from bot.domain.schedule import PostKey, PostProgress, Weekly, due_week, last_due, within_grace
from bot.domain.shards import Owns, everyone
from bot.domain.weeks import Span, completed, this_week, week_key
from bot.domain.wins import Win
from bot.services.weekly_runs import LeaseLost, Leases, Problem
from bot.services.wins import slot_for
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.rejections import RejectionRepository
from bot.storage.wins import WinsRepository

log = logging.getLogger(__name__)
KIND = "celebration"
GoalsLine = Callable[[int, str], Awaitable[str | None]]
PartSent = Callable[[int, int], Awaitable[None]]  # (part index, message id)


class Poster(Protocol):
    """The discord-side sender (bot.publishing) as the service sees it."""

    async def post_parts(
        self,
        key: PostKey,
        channel_id: int,
        parts: Sequence[tuple[int, CelebrationPart]],
        on_sent: PartSent,
    ) -> Problem | None:
        """Post (index, part) pairs in order, each with its nonce, calling `on_sent` after each."""
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
    status: (
        str  # sent | failed | skipped-empty | not-due | already-claimed | not-set-up | lease-lost
    )

    @property
    def kind(self) -> str:
        """Name the job like the other weekly features' outcomes, for one shared log line."""
        return KIND


class CelebrationService:
    """Runs one server's weekly celebration, or catches up all of them after downtime."""

    def __init__(
        self,
        wins: WinsRepository,
        leases: Leases,
        settings: GuildSettingsRepository,
        rejections: RejectionRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
        poster: Poster,
        goals_line: GoalsLine,
    ) -> None:
        self._wins, self._leases, self._settings, self._rejections = (
            wins,
            leases,
            settings,
            rejections,
        )
        self._store, self._clock, self._config = store, clock, config
        self._poster = poster
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

    async def catch_up(self, owns: Owns = everyone) -> list[RunOutcome]:
        """Post every own server's celebration due within the grace period, not held or done."""
        return [await self._run(s) for s in await self.configured() if owns(s.guild_id)]

    async def resume_lapsed(self, owns: Owns = everyone) -> list[RunOutcome]:
        """Finish own servers' celebrations whose owner's lease ran out (a process died)."""
        lapsed = await self._leases.lapsed((KIND,), self.grace)
        return [await self.run(key.guild_id) for key in lapsed if owns(key.guild_id)]

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
        key = PostKey(settings.guild_id, KIND, due_week(slot, due))
        if not within_grace(due, now, self.grace):
            if await self._leases.progress(key) is None:
                log.info(
                    "celebration for %s (%s) was due at %s, past the grace period: skipped",
                    settings.guild_id,
                    key.week,
                    due.isoformat(),
                )
            return RunOutcome(settings.guild_id, key.week, "not-due")
        async with self._leases.held(key) as claim:
            if claim is None:
                return RunOutcome(settings.guild_id, key.week, "already-claimed")
            try:
                status = await self._post(settings, key, claim.progress, slot, due)
            except LeaseLost:
                log.warning("celebration for %s: another process took it over", key)
                status = "lease-lost"
        return RunOutcome(settings.guild_id, key.week, status)

    async def _post(
        self,
        settings: CelebrationSettings,
        key: PostKey,
        progress: PostProgress,
        slot: Weekly,
        due: datetime,
    ) -> str:
        wins = await self._covered(key, progress.upto)
        parts = await self.compose(settings.guild_id, key.week, slot, due, wins)
        if parts is None:
            await self._leases.finish(key, "skipped", detail="no wins")
            return "skipped-empty"
        sent = list(progress.parts)

        async def part_sent(index: int, message_id: int) -> None:
            await self._leases.part_sent(key, index, message_id)
            sent.append(message_id)

        async def attempt() -> Problem | None:
            rest = list(enumerate(parts))[len(sent) :]
            if not rest:
                return None
            return await self._poster.post_parts(key, settings.channel_id, rest, part_sent)

        problem = await self._leases.retrying(key, attempt, due + self.grace)
        first = sent[0] if sent else None
        if problem is None:
            await self._leases.finish(key, "sent", first)
            return "sent"
        if await self._leases.finish(key, "failed", first, problem.reason):
            await self._report(settings, problem)
        return "failed"

    async def _covered(self, key: PostKey, upto: int | None) -> list[Win]:
        """Return the week's wins the post covers, fixing the newest one on the first run."""
        wins = await self._wins.for_week(key.guild_id, key.week)
        if upto is None:
            upto = max((w.id for w in wins), default=0)
            await self._leases.record_upto(key, upto)
        return [w for w in wins if w.id <= upto]

    async def _report(self, settings: CelebrationSettings, problem: Problem) -> None:
        log.warning("celebration for %s failed: %s", settings.guild_id, problem.reason)
        text = self.messages.pick(
            "delivery_failed",
            kind=self.messages.post_kind(KIND),
            channel=settings.channel_id,
            reason=problem.reason,
        )
        await self._poster.moderator_log(text)

    async def compose(
        self, guild_id: int, week: str, slot: Weekly, due: datetime, wins: list[Win]
    ) -> list[CelebrationPart] | None:
        """Build the post for `week`; None when it had no wins and empty weeks are skipped.

        The wording is drawn from (server, week), not from the process: a run that
        takes the post over composes the very same parts.
        """
        messages = self.messages
        rng = random.Random(f"{guild_id}:{week}")  # noqa: S311 - picks wording, not secrets
        title = messages.pick("celebration_title")
        group = await self._group_lines(guild_id, slot, due)
        if not wins:
            if self._config.celebrations.empty_week == "skip":
                return None
            quiet = messages.pick("celebration_empty", rng)
            return [CelebrationPart(title, "\n\n".join(x for x in (quiet, group) if x))]
        lines = [WinLine(shown_win(w.text), f"<@{w.user_id}>" if w.user_id else None) for w in wins]
        return compose(
            title,
            messages.pick("celebration_opening", rng),
            lines,
            group,
            messages.pick("celebration_closing", rng),
        )

    async def _group_lines(self, guild_id: int, slot: Weekly, due: datetime) -> str | None:
        """Return the group's courage and goal lines, each only above the privacy threshold.

        Both look back on the week of the day before the post: the post's own week for a
        Tuesday-to-Sunday post (its finished days), the week just ended for a Monday one,
        whose own week has no finished day yet and no goals so far.
        """
        day = due.astimezone(slot.zone).date()
        looked_back = day - timedelta(days=1)
        courage = await self._courage(guild_id, completed(this_week(looked_back), day))
        goals = await self._goals_line(guild_id, week_key(looked_back))
        return "\n".join(x for x in (courage, goals) if x) or None

    async def _courage(self, guild_id: int, span: Span) -> str | None:
        """Count the group's rejections on `span`'s days, only above the privacy threshold."""
        figure = await self._rejections.group_figure(guild_id, span)
        if figure.entries == 0 or not visible(
            figure.contributors, self._config.privacy.min_group_size
        ):
            return None
        return self.messages.pick("celebration_courage", count=figure.entries)
