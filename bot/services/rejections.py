"""Log rejections in two seconds, see one's own numbers, and the group's only in aggregate."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain import rejections as rules
from bot.domain.member_key import MemberKeys
from bot.domain.rejections import GroupLine, LogReceipt, RejectionStats
from bot.domain.weeks import Span, completed, last_week, this_month, this_week
from bot.errors import UserFacingError
from bot.services.calendar import ServerCalendar
from bot.services.tips import TipsService
from bot.storage.group_commit import Forgotten
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.rejections import RejectionRepository

SUPPORT_NUDGE_AT = 3


class RejectionService:
    """Use cases behind /rejection log, stats and undo."""

    def __init__(
        self,
        repo: RejectionRepository,
        settings: GuildSettingsRepository,
        keys: MemberKeys,
        clock: Clock,
        store: ContentStore,
        tips: TipsService,
        config: Config,
        rng: random.Random | None = None,
    ) -> None:
        self._repo, self._settings, self._keys = repo, settings, keys
        self._clock, self._store, self._tips, self._config = clock, store, tips, config
        self._rng = rng or random.Random()  # noqa: S311 - picks wording variants, not secrets
        self._calendar = ServerCalendar(settings, clock, config)

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next reply."""
        return self._store.library.messages

    async def today(self, guild_id: int) -> date:
        """Return the current local day in the server's timezone."""
        return await self._calendar.today(guild_id)

    async def log(self, guild_id: int, user_id: int, stage: str, locale: str | None) -> LogReceipt:
        """Record one rejection (daily limit enforced atomically) and encourage."""
        if stage not in rules.STAGES:
            raise UserFacingError(self.messages.pick("unknown_choice"))
        key = self._keys.key(guild_id, user_id)
        today = await self.today(guild_id)
        limit = self._config.rejections.daily_limit
        try:
            logged = await self._repo.log(
                guild_id, key, stage, today, this_week(today).first, limit
            )
        except Forgotten:
            raise UserFacingError(self.messages.pick("forgotten_meanwhile")) from None
        if not logged.accepted:
            raise UserFacingError(self.messages.pick("rejection_limit", limit=limit))
        return LogReceipt(
            acknowledgement=self._acknowledgement(stage),
            counts=self.messages.pick("rejection_counts", week=logged.week, total=logged.total),
            milestone=self._milestone(logged.total),
            tip=await self._tips.tip_for_stage(guild_id, user_id, stage, locale),
            support=self.messages.pick("support_nudge")
            if logged.today == SUPPORT_NUDGE_AT
            else None,
        )

    def _acknowledgement(self, stage: str) -> str:
        """Words that fit the stage; the general ones when messages.yaml has none for it."""
        key = f"rejection_ack_{stage.replace('-', '_')}"
        if not getattr(self.messages, key, ()):
            key = "rejection_logged"
        return self.messages.pick(key, self._rng)

    def _milestone(self, total: int) -> str | None:
        messages = self.messages
        counts, every = messages.rejection_milestone_counts, messages.rejection_milestone_every
        if not rules.is_milestone(total, counts, every):
            return None
        if total == 1:
            return messages.pick("rejection_milestone_first", self._rng)
        return messages.pick("rejection_milestone", self._rng, count=total)

    async def undo(self, guild_id: int, user_id: int) -> str:
        """Remove the member's latest entry if it was logged today; say what went."""
        key = self._keys.key(guild_id, user_id)
        stage = await self._repo.undo_today(guild_id, key, await self.today(guild_id))
        if stage is None:
            raise UserFacingError(self.messages.pick("rejection_nothing_to_undo"))
        stage_name = self.messages.stage_name(stage).lower()
        return self.messages.pick("rejection_undone", stage=stage_name)

    async def stats(self, guild_id: int, user_id: int) -> RejectionStats:
        """Own numbers in full; group figures from completed days, each behind the k-threshold."""
        key = self._keys.key(guild_id, user_id)
        today = await self.today(guild_id)
        per_day: dict[date, int] = {}
        by_stage: dict[str, int] = {}
        for day, stage, count in await self._repo.member_tally(guild_id, key):
            per_day[day] = per_day.get(day, 0) + count
            by_stage[stage] = by_stage.get(stage, 0) + count
        minimum = self._config.privacy.min_group_size
        return RejectionStats(
            week=_within(per_day, this_week(today), today),
            month=_within(per_day, this_month(today), today),
            total=sum(per_day.values()),
            by_stage=by_stage,
            streak=rules.kept_going_streak(per_day, today),
            sparkline=rules.sparkline(rules.weekly_counts(per_day, today)),
            group=await self._group(guild_id, today, minimum),
            hidden_note=self.messages.pick("rejection_group_hidden", min=minimum),
        )

    async def _group(self, guild_id: int, today: date, minimum: int) -> list[GroupLine]:
        words = self.messages
        spans = [
            (words.rejection_group_this_week, completed(this_week(today), today)),
            (words.rejection_group_last_week, last_week(today)),
            (words.rejection_group_this_month, completed(this_month(today), today)),
            (words.rejection_group_all_time, completed(Span(date(2000, 1, 1), today), today)),
        ]
        figures = await self._repo.group_figures(guild_id, [span for _, span in spans])
        return [
            GroupLine(label, figure if rules.visible(figure.contributors, minimum) else None)
            for (label, _), figure in zip(spans, figures, strict=True)
        ]


def _within(per_day: Mapping[date, int], span: Span, today: date) -> int:
    last = min(span.last, today)
    return sum(count for day, count in per_day.items() if span.first <= day <= last)
