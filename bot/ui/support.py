"""How /support looks: one private message that changes in place as the member moves through it.

Every screen (home, a grounding step, the member's plan, people to talk to) is
the same ephemeral message edited by a button press, so nothing piles up and
nothing is ever posted where others can see it. Buttons are dynamic items whose
custom ids carry the action, the member and their region, so they keep working
after a restart and only the member who asked can use them. Every screen ends
with the same line: Bounceback is peer support, not a crisis service.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, cast

import discord

from bot.domain.support import SupportLine, SupportPlan
from bot.services.support import RegionLines, SupportService
from bot.ui.embeds import button_row, calm_embed
from bot.ui.formatting import safe_inline
from bot.ui.incidents import guarded, reply_privately
from bot.ui.support_plan import PlanModal

if TYPE_CHECKING:
    from bot.app import Bounceback

Action = Literal["home", "done", "ground", "plan", "talk"]
Message = dict[str, Any]
FIELD_LIMIT = 1024
_TEMPLATE = (
    r"support:(?P<action>home|done|ground|plan|talk):(?P<owner>\d{1,20}):"
    r"(?P<region>[A-Za-z]{2,16})(?::(?P<exercise>[a-z0-9-]{1,40}):(?P<step>\d{1,2}))?"
)


def _embed(service: SupportService, region: RegionLines, title: str, text: str) -> discord.Embed:
    embed = calm_embed(title, text)
    embed.set_footer(text=service.disclaimer(region))
    return embed


def _ground_button(service: SupportService, region: str, owner: int) -> SupportButton:
    first = service.exercise(None).id
    label = service.messages.button_ground
    return SupportButton("ground", owner, region, label, exercise=first, primary=True)


def home_message(
    service: SupportService, region: RegionLines, owner: int, note: str | None = None
) -> Message:
    """The first screen: a calm line and three small choices."""
    words = service.messages
    return {
        "content": note,
        "embed": _embed(service, region, words.home_title, words.pick("home_intro")),
        "view": button_row(
            _ground_button(service, region.code, owner),
            SupportButton("plan", owner, region.code, words.button_plan),
            SupportButton("talk", owner, region.code, words.button_talk),
        ),
    }


def step_message(
    service: SupportService, region: RegionLines, owner: int, exercise_id: str, index: int
) -> Message:
    """One step of a grounding exercise; it moves only when the member presses a button."""
    words = service.messages
    exercise = service.exercise(exercise_id)
    step = service.step(exercise, index)
    key = "ground_last" if step.is_last else "ground_progress"
    progress = words.pick(key, step=step.number, total=step.total)
    text = f"{exercise.steps[step.index]}\n\n*{progress}*"
    done = SupportButton("done", owner, region.code, words.button_done, primary=step.is_last)
    if step.is_last:
        after = service.next_exercise(exercise.id).id
        more = SupportButton("ground", owner, region.code, words.button_another, exercise=after)
        view = button_row(done, more)
    else:
        ahead = SupportButton(
            "ground",
            owner,
            region.code,
            words.button_next,
            exercise=exercise.id,
            step=step.index + 1,
            primary=True,
        )
        view = button_row(ahead, done)
    return {"content": None, "embed": _embed(service, region, exercise.name, text), "view": view}


def plan_message(
    service: SupportService,
    region: RegionLines,
    owner: int,
    plan: SupportPlan | None,
    note: str | None = None,
) -> Message:
    """The member's own plan, escaped (they typed it), with a way to edit it."""
    words = service.messages
    intro = words.pick("plan_intro" if plan else "plan_empty")
    embed = _embed(service, region, words.plan_title, intro)
    for name, text in (plan.parts() if plan else {}).items():
        if text:
            label = getattr(words, f"plan_{name}")
            embed.add_field(name=label, value=safe_inline(text, FIELD_LIMIT), inline=False)
    view = button_row(
        SupportButton("plan", owner, region.code, words.button_edit_plan, primary=True),
        SupportButton("talk", owner, region.code, words.button_talk),
        SupportButton("home", owner, region.code, words.button_back),
    )
    return {"content": note, "embed": embed, "view": view}


def _server_lines(service: SupportService, line: SupportLine | None) -> str:
    words = service.messages
    if line is None or line.is_empty:
        return words.pick("talk_server_unset")
    parts = []
    if line.channel_id is not None:
        parts.append(words.pick("talk_server_channel", channel=f"<#{line.channel_id}>"))
    if line.role_id is not None:
        parts.append(words.pick("talk_server_role", role=f"<@&{line.role_id}>"))
    if line.note:
        parts.append(safe_inline(line.note, 400))
    return "\n".join(parts)


def talk_message(
    service: SupportService,
    region: RegionLines,
    owner: int,
    line: SupportLine | None,
    *,
    in_server: bool,
) -> Message:
    """The server's own people first, then at most three lines for the member's region."""
    words = service.messages
    text = f"{words.pick('talk_intro')}\n\n{words.pick('talk_region_hint')}"
    embed = _embed(service, region, f"{words.talk_title} · {region.name}", text)
    if in_server:
        embed.add_field(
            name=words.talk_server_heading, value=_server_lines(service, line), inline=False
        )
    for crisis in region.lines:
        value = f"{crisis.reach}\n*{crisis.hours}*" if crisis.hours else crisis.reach
        embed.add_field(name=crisis.name, value=value, inline=False)
    view = button_row(
        _ground_button(service, region.code, owner),
        SupportButton("plan", owner, region.code, words.button_plan),
        SupportButton("home", owner, region.code, words.button_back),
    )
    return {"content": None, "embed": embed, "view": view}


def _service(interaction: discord.Interaction[Any]) -> SupportService:
    client: Bounceback = interaction.client
    return client.services.support


class SupportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=_TEMPLATE):
    """Every /support button: the action, the member and the region ride in the custom id."""

    def __init__(
        self,
        action: Action,
        owner: int,
        region: str,
        label: str | None = None,
        *,
        exercise: str | None = None,
        step: int = 0,
        primary: bool = False,
    ) -> None:
        custom_id = f"support:{action}:{owner}:{region}"
        if action == "ground" and exercise:
            custom_id += f":{exercise}:{step}"
        style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.action, self.owner, self.region = action, owner, region
        self.exercise, self.step = exercise, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SupportButton:
        step = int(match["step"]) if match["step"] else 0
        action = cast(Action, match["action"])
        return cls(
            action, int(match["owner"]), match["region"], exercise=match["exercise"], step=step
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._act(interaction), f"button: support {self.action}")

    async def _act(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        if interaction.user.id != self.owner:
            await reply_privately(interaction, service.messages.pick("not_yours"))
            return
        region = service.region_by_code(self.region)
        if self.action == "plan":
            await self._open_plan(interaction, service, region)
            return
        if self.action == "talk":
            line = await service.support_line(interaction.guild_id)
            in_server = interaction.guild_id is not None
            message = talk_message(service, region, self.owner, line, in_server=in_server)
        elif self.action == "ground":
            message = step_message(service, region, self.owner, self.exercise or "", self.step)
        else:
            done = service.messages.pick("home_after_grounding") if self.action == "done" else None
            message = home_message(service, region, self.owner, done)
        await interaction.response.edit_message(**message)

    async def _open_plan(
        self, interaction: discord.Interaction[Any], service: SupportService, region: RegionLines
    ) -> None:
        owner = self.owner
        plan = await service.plan(interaction.guild_id, owner)

        async def save(submitted: discord.Interaction[Any], values: dict[str, str]) -> None:
            saved = await service.save_plan(submitted.guild_id, owner, values)
            note = service.messages.pick("plan_saved" if saved else "plan_deleted")
            message = plan_message(service, region, owner, saved, note)
            if submitted.message is not None:
                await submitted.response.edit_message(**message)
            else:
                await submitted.response.send_message(
                    **message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                )

        await interaction.response.send_modal(PlanModal(service.messages, owner, plan, save))


SUPPORT_BUTTONS = (SupportButton,)
