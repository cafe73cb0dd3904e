"""/support use cases: pick the member's lines, walk a grounding exercise, keep their plan.

Nothing here knows about Discord: the extension hands in ids, the member's
locale and typed text, and gets back plain data the UI turns into embeds.
Lengths are checked again here because a crafted client can skip the form's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.clock import Clock
from bot.content.support_loader import SupportSource
from bot.content.support_schema import CrisisLine, GroundingExercise, SupportMessages
from bot.domain.member_key import NO_GUILD, MemberKeys
from bot.domain.moderation import AuditEntry
from bot.domain.support import (
    INTERNATIONAL,
    NOTE_MAX,
    PLAN_FIELD_MAX,
    RegionPick,
    StepPosition,
    SupportLine,
    SupportPlan,
    check_plan,
    first_lines,
    next_exercise,
    region_choices,
    resolve_region,
    step_at,
)
from bot.domain.text import TextProblem, check_text
from bot.errors import UserFacingError
from bot.storage.audit import AuditRepository
from bot.storage.support import PLAN_SCOPE, GuildSupportRepository, Plan, SupportPlanRepository


@dataclass(frozen=True)
class RegionLines:
    """The lines one member is shown, at most three, never none."""

    code: str
    name: str
    emergency: str | None
    lines: tuple[CrisisLine, ...]
    pick: RegionPick


@dataclass(frozen=True)
class RegionChoice:
    """A region as offered in autocomplete."""

    code: str
    name: str


class SupportService:
    """Member-facing /support and the admin's /setup support."""

    def __init__(
        self,
        source: SupportSource,
        plans: SupportPlanRepository,
        lines: GuildSupportRepository,
        audit: AuditRepository,
        keys: MemberKeys,
        clock: Clock,
    ) -> None:
        self._source = source
        self._plans = plans
        self._lines = lines
        self._audit = audit
        self._keys = keys
        self._clock = clock

    @property
    def messages(self) -> SupportMessages:
        """Read support.yaml's wording as of now; an edited file is picked up on the next use."""
        return self._source.content.messages

    def region(self, option: str | None, locale: str | None) -> RegionLines:
        """Lines for the region the member named, or their locale's, or the international list."""
        content = self._source.content
        names = {code: region.name for code, region in content.regions.items()}
        return self._lines_for(resolve_region(option, locale, names, content.locales))

    def region_by_code(self, code: str) -> RegionLines:
        """Lines for a code carried in a button (international if the file dropped it)."""
        known = code in self._source.content.regions
        pick = RegionPick(code, "option") if known else RegionPick(INTERNATIONAL, "fallback")
        return self._lines_for(pick)

    def _lines_for(self, pick: RegionPick) -> RegionLines:
        region = self._source.content.regions[pick.code]
        return RegionLines(
            pick.code, region.name, region.emergency, first_lines(region.lines), pick
        )

    def region_choices(self, typed: str) -> list[RegionChoice]:
        """Offer the regions matching what the member has typed so far, international last."""
        names = {code: r.name for code, r in self._source.content.regions.items()}
        return [RegionChoice(code, names[code]) for code in region_choices(typed, names)]

    def disclaimer(self, region: RegionLines) -> str:
        """Return the line every /support view carries: peer support, not a crisis service."""
        if region.emergency:
            return self.messages.pick(
                "disclaimer_with_number", number=region.emergency, region=region.name
            )
        return self.messages.pick("disclaimer")

    def exercise(self, exercise_id: str | None) -> GroundingExercise:
        """Return the named exercise, or the first one when the id is unknown or None."""
        grounding = self._source.content.grounding
        return next((e for e in grounding if e.id == exercise_id), grounding[0])

    def next_exercise(self, current: str) -> GroundingExercise:
        """Return the exercise after `current`, wrapping round to the first."""
        grounding = self._source.content.grounding
        return self.exercise(next_exercise([e.id for e in grounding], current))

    @staticmethod
    def step(exercise: GroundingExercise, index: int) -> StepPosition:
        """Clamp a step index from a button, since an edit may have shortened the exercise."""
        return step_at(index, len(exercise.steps))

    def plan_key(self, guild_id: int | None, user_id: int) -> str:
        """Return the member's key for plans: never the key their rejection counts are under."""
        return self._keys.key(guild_id or NO_GUILD, user_id, PLAN_SCOPE)

    async def plan(self, guild_id: int | None, user_id: int) -> SupportPlan | None:
        """Return the member's own plan in this server (or in DMs), if they wrote one."""
        key = guild_id or NO_GUILD
        own = self.plan_key(guild_id, user_id)
        found = await self._plans.get(key, own) or await self._adopted(key, user_id)
        return found[0] if found else None

    async def _adopted(self, guild_id: int, user_id: int) -> Plan | None:
        """Move a plan written before plans had their own key, if there is one."""
        legacy = self._keys.key(guild_id, user_id)
        return await self._plans.adopt(guild_id, legacy, self.plan_key(guild_id, user_id))

    async def save_plan(
        self, guild_id: int | None, user_id: int, values: dict[str, str]
    ) -> SupportPlan | None:
        """Save the member's plan; all parts empty deletes it and returns None."""
        checked = check_plan(values, PLAN_FIELD_MAX)
        if checked.too_long is not None:
            label = getattr(self.messages, f"plan_{checked.too_long}")
            raise UserFacingError(
                self.messages.pick(
                    "plan_too_long", field=label, length=checked.length, limit=PLAN_FIELD_MAX
                )
            )
        key = guild_id or NO_GUILD
        member = self.plan_key(key, user_id)
        await self._adopted(key, user_id)  # an older plan moves first, so none is left behind
        if checked.plan.is_empty:
            await self._plans.remove(key, member)
            return None
        await self._plans.save(key, member, checked.plan, self._clock.now().date())
        return checked.plan

    async def support_line(self, guild_id: int | None) -> SupportLine | None:
        """Return the server's own support line; none in DMs."""
        return await self._lines.get(guild_id) if guild_id else None

    async def set_support_line(
        self,
        guild_id: int,
        actor_id: int,
        channel_id: int | None,
        role_id: int | None,
        note: str | None,
    ) -> SupportLine:
        """Set (or, with nothing given, clear) the server's line, and audit the change."""
        clean_note = None
        if note is not None and note.strip():
            checked = check_text(note, NOTE_MAX)
            if checked.problem is TextProblem.EMPTY:  # only invisible characters
                raise UserFacingError(self.messages.pick("setup_note_empty"))
            if checked.problem is TextProblem.TOO_LONG:
                raise UserFacingError(
                    self.messages.pick("setup_note_too_long", length=checked.length, limit=NOTE_MAX)
                )
            clean_note = checked.text
        line = SupportLine(channel_id, role_id, clean_note)
        before = await self._lines.get(guild_id)
        at = self._clock.now().isoformat()
        await self._lines.set(guild_id, line, at)
        await self._audit.record(
            AuditEntry(
                guild_id=guild_id,
                actor_id=actor_id,
                action="support.line",
                target="support",
                before=json.dumps(asdict(before)) if before else None,
                after=None if line.is_empty else json.dumps(asdict(line)),
                at=at,
            )
        )
        return line
