"""Members' side of accountability: joining, goals for the week, breaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import Clock
from bot.config import Config
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.accountability import (
    BREAK_DAYS_DEFAULT,
    BREAK_DAYS_MAX,
    BREAK_DAYS_MIN,
    GOAL_TEXT_MAX,
    TARGET_MAX,
    TARGET_MIN,
    Goal,
    next_progress,
)
from bot.domain.weeks import week_key
from bot.errors import UserFacingError
from bot.services.calendar import ServerCalendar
from bot.services.member_text import accepted_text
from bot.storage.accountability import GoalsRepository, MembershipRepository
from bot.storage.group_commit import Forgotten
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.scheduled_posts import ScheduledPostsRepository

THREAD_KIND = "accountability"


@dataclass(frozen=True)
class GoalChange:
    """A goal after a change, and the week's thread to post to when the member shares it."""

    goal: Goal
    thread_id: int | None


class GoalsService:
    """Use cases behind /accountability, /goal and /break."""

    def __init__(
        self,
        goals: GoalsRepository,
        members: MembershipRepository,
        settings: GuildSettingsRepository,
        posts: ScheduledPostsRepository,
        store: ContentStore,
        clock: Clock,
        config: Config,
    ) -> None:
        self._goals, self._members, self._settings, self._posts = goals, members, settings, posts
        self._store, self._clock, self._config = store, clock, config
        self._calendar = ServerCalendar(settings, clock, config)

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next reply."""
        return self._store.library.messages

    async def today(self, guild_id: int) -> date:
        """Return today's date in the server's timezone."""
        return await self._calendar.today(guild_id)

    async def week(self, guild_id: int) -> str:
        """Return this server's current ISO week key, e.g. `2026-W48`."""
        return week_key(await self.today(guild_id))

    async def thread_id(self, guild_id: int, week: str) -> int | None:
        """Return the week's accountability thread, or None until it has been posted."""
        status = await self._posts.status(guild_id, THREAD_KIND, week)
        return status[1] if status and status[0] == "sent" else None

    async def join(self, guild_id: int, user_id: int) -> str:
        """Add the member to accountability and return the reply (joining twice is harmless)."""
        today = (await self.today(guild_id)).isoformat()
        try:
            joined = await self._members.join(guild_id, user_id, today)
        except Forgotten:
            raise UserFacingError(self.messages.pick("forgotten_meanwhile")) from None
        return self.messages.pick(
            "accountability_joined" if joined else "accountability_already_joined"
        )

    async def leave(self, guild_id: int, user_id: int) -> str:
        """Remove the member from accountability and return the reply, even if they were not in."""
        left = await self._members.leave(guild_id, user_id)
        return self.messages.pick("accountability_left" if left else "accountability_not_joined")

    async def is_member(self, guild_id: int, user_id: int) -> bool:
        """Say whether the member has joined accountability in this server."""
        return await self._members.is_member(guild_id, user_id)

    async def own(self, guild_id: int, user_id: int) -> list[Goal]:
        """Return the member's goals for this week, oldest first."""
        return await self._goals.own(guild_id, user_id, await self.week(guild_id))

    async def set_goal(
        self, guild_id: int, user_id: int, text: str, target: int | None, private: bool
    ) -> GoalChange:
        """Add a goal for this week; a refusal explains a bad text, target or full week."""
        body = accepted_text(text, GOAL_TEXT_MAX, self.messages)
        if target is not None and not TARGET_MIN <= target <= TARGET_MAX:
            raise UserFacingError(self.messages.pick("unknown_choice"))
        week = await self.week(guild_id)
        try:
            added = await self._goals.add_and_find_thread(
                guild_id, user_id, week, body, target, private
            )
        except Forgotten:
            raise UserFacingError(self.messages.pick("forgotten_meanwhile")) from None
        if added is None:
            raise UserFacingError(self.messages.pick("goal_limit"))
        goal, thread = added
        return GoalChange(goal, None if private else thread)

    async def progress(self, guild_id: int, user_id: int, goal_id: int, amount: int) -> GoalChange:
        """Move a goal by `amount` (never below zero); reaching its target marks it done."""
        goal = await self._find(guild_id, user_id, goal_id)
        value, reached = next_progress(goal.progress, goal.target, amount)
        updated = await self._goals.update(goal, value, goal.done or reached)
        return GoalChange(updated, await self.thread_id(guild_id, goal.week))

    async def finish(self, guild_id: int, user_id: int, goal_id: int) -> GoalChange:
        """Mark a goal done, filling its progress up to the target if it has one."""
        goal = await self._find(guild_id, user_id, goal_id)
        progress = goal.target if goal.target is not None else goal.progress
        updated = await self._goals.update(goal, max(progress, goal.progress), True)
        return GoalChange(updated, await self.thread_id(guild_id, goal.week))

    async def carry_over(self, guild_id: int, user_id: int, from_week: str | None = None) -> int:
        """Copy unfinished goals of `from_week` (default: this week) into the following week."""
        today = await self.today(guild_id)
        source = from_week or week_key(today)
        target_week = week_key(_monday_of(source) + timedelta(days=7))
        carried = 0
        existing = {g.text for g in await self._goals.own(guild_id, user_id, target_week)}
        for goal in await self._goals.own(guild_id, user_id, source):
            if goal.finished or goal.text in existing:
                continue
            try:
                added = await self._goals.add(
                    guild_id, user_id, target_week, goal.text, goal.target, goal.private, goal.id
                )
            except Forgotten:
                raise UserFacingError(self.messages.pick("forgotten_meanwhile")) from None
            carried += added is not None
        if not carried:
            raise UserFacingError(self.messages.pick("goal_nothing_to_carry"))
        return carried

    async def start_break(self, guild_id: int, user_id: int, days: int | None) -> date:
        """Pause thread adds and nudges for `days` (default when None); return the day it ends."""
        length = BREAK_DAYS_DEFAULT if days is None else days
        if not BREAK_DAYS_MIN <= length <= BREAK_DAYS_MAX:
            raise UserFacingError(self.messages.pick("unknown_choice"))
        until = await self.today(guild_id) + timedelta(days=length)
        await self._members.set_break(guild_id, user_id, until.isoformat())
        return until

    async def end_break(self, guild_id: int, user_id: int) -> None:
        """End the member's break now; a kind refusal when none is running."""
        if await self.break_until(guild_id, user_id) is None:
            raise UserFacingError(self.messages.pick("break_none"))
        await self._members.set_break(guild_id, user_id, None)

    async def break_until(self, guild_id: int, user_id: int) -> date | None:
        """Return the last day of a running break, or None when the member is not on one."""
        until = await self._members.break_until(
            guild_id, user_id, (await self.today(guild_id)).isoformat()
        )
        return date.fromisoformat(until) if until else None

    async def _find(self, guild_id: int, user_id: int, goal_id: int) -> Goal:
        goal = await self._goals.get_own(guild_id, user_id, goal_id)
        if goal is None:
            raise UserFacingError(self.messages.pick("goal_unknown"))
        return goal


def _monday_of(week: str) -> date:
    return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
