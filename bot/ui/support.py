"""How /support looks: one private message that changes in place as the member moves through it.

Every screen (home, a grounding step, the member's plan, people to talk to) is
the same ephemeral message edited by a button press, so nothing piles up and
nothing is ever posted where others can see it. The buttons' custom ids carry
the action, the member and their region, so they keep working after a restart;
bot.exts.support answers them, for the member who asked only. Every screen ends
with the same line: Bounceback is peer support, not a crisis service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import discord

from bot.content.support_schema import CrisisLine, GroundingExercise, SupportMessages
from bot.domain.support import StepPosition, SupportLine, SupportPlan
from bot.domain.text import public_parts
from bot.ui.buttons import Button, button_row
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline

Action = Literal["home", "done", "ground", "plan", "talk"]
Message = dict[str, Any]
FIELD_LIMIT = 1024
EMBED_LIMIT = 6000  # every title, field, description and footer of an embed together
FIELDS_LIMIT = 25
CONTINUED = "\u200b"  # a field going on from the one above: Discord wants a name, shown blank
SUPPORT = (
    r"support:(?P<action>home|done|ground|plan|talk):(?P<owner>\d{1,20}):"
    r"(?P<region>[A-Za-z]{2,16})(?::(?P<exercise>[a-z0-9-]{1,40}):(?P<step>\d{1,2}))?"
)


@dataclass(frozen=True)
class Frame:
    """What every /support screen shares: the words, the member, their region and the footer."""

    words: SupportMessages
    owner: int
    region: str  # the region's code, carried in every button's custom id
    region_name: str
    disclaimer: str
    first_exercise: str  # where "ground me" starts


def support_button(
    frame: Frame,
    action: Action,
    label: str,
    *,
    exercise: str | None = None,
    step: int = 0,
    primary: bool = False,
) -> Button:
    """Make a /support button: the action, the member and the region ride in its custom id."""
    custom_id = f"support:{action}:{frame.owner}:{frame.region}"
    if action == "ground" and exercise:
        custom_id += f":{exercise}:{step}"
    style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
    return Button(label, custom_id, style)


def _embed(frame: Frame, title: str, text: str) -> discord.Embed:
    embed = calm_embed(title, text)
    embed.set_footer(text=frame.disclaimer)
    return embed


def _ground_button(frame: Frame) -> Button:
    label = frame.words.button_ground
    return support_button(frame, "ground", label, exercise=frame.first_exercise, primary=True)


def home_message(frame: Frame, note: str | None = None) -> Message:
    """Build the first screen: a calm line and three small choices."""
    words = frame.words
    return {
        "content": note,
        "embed": _embed(frame, words.home_title, words.pick("home_intro")),
        "view": button_row(
            _ground_button(frame),
            support_button(frame, "plan", words.button_plan),
            support_button(frame, "talk", words.button_talk),
        ),
    }


def step_message(
    frame: Frame, exercise: GroundingExercise, step: StepPosition, after: str
) -> Message:
    """One step of a grounding exercise; it moves only when the member presses a button.

    `after` is the exercise offered once this one is done.
    """
    words = frame.words
    key = "ground_last" if step.is_last else "ground_progress"
    progress = words.pick(key, step=step.number, total=step.total)
    text = f"{exercise.steps[step.index]}\n\n*{progress}*"
    done = support_button(frame, "done", words.button_done, primary=step.is_last)
    if step.is_last:
        more = support_button(frame, "ground", words.button_another, exercise=after)
        view = button_row(done, more)
    else:
        ahead = support_button(
            frame,
            "ground",
            words.button_next,
            exercise=exercise.id,
            step=step.index + 1,
            primary=True,
        )
        view = button_row(ahead, done)
    return {"content": None, "embed": _embed(frame, exercise.name, text), "view": view}


def plan_message(frame: Frame, plan: SupportPlan | None, note: str | None = None) -> Message:
    """Build the member's own plan screen, escaped (they typed it), with a way to edit it."""
    words = frame.words
    intro = words.pick("plan_intro" if plan else "plan_empty")
    parts = {name: text for name, text in (plan.parts() if plan else {}).items() if text}
    embed = _plan_embed(frame, intro, parts, whole=True)
    if len(embed) > EMBED_LIMIT or len(embed.fields) > FIELDS_LIMIT:  # only heavy markdown
        embed = _plan_embed(frame, intro, parts, whole=False)
    view = button_row(
        support_button(frame, "plan", words.button_edit_plan, primary=True),
        support_button(frame, "talk", words.button_talk),
        support_button(frame, "home", words.button_back),
    )
    return {"content": note, "embed": embed, "view": view}


def _plan_embed(frame: Frame, intro: str, parts: dict[str, str], *, whole: bool) -> discord.Embed:
    """Show each part in full, continued over fields, or (not `whole`) cut to one field."""
    words = frame.words
    embed = _embed(frame, words.plan_title, intro)
    for name, text in parts.items():
        label = getattr(words, f"plan_{name}")
        shown = public_parts(text, FIELD_LIMIT) if whole else [safe_inline(text, FIELD_LIMIT)]
        for number, value in enumerate(shown):
            embed.add_field(name=label if number == 0 else CONTINUED, value=value, inline=False)
    return embed


def _server_lines(words: SupportMessages, line: SupportLine | None) -> str:
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
    frame: Frame,
    lines: tuple[CrisisLine, ...],
    line: SupportLine | None,
    *,
    in_server: bool,
) -> Message:
    """List the server's own people first, then at most three lines for the member's region."""
    words = frame.words
    text = f"{words.pick('talk_intro')}\n\n{words.pick('talk_region_hint')}"
    embed = _embed(frame, f"{words.talk_title} · {frame.region_name}", text)
    if in_server:
        embed.add_field(
            name=words.talk_server_heading, value=_server_lines(words, line), inline=False
        )
    for crisis in lines:
        value = f"{crisis.reach}\n*{crisis.hours}*" if crisis.hours else crisis.reach
        embed.add_field(name=crisis.name, value=value, inline=False)
    view = button_row(
        _ground_button(frame),
        support_button(frame, "plan", words.button_plan),
        support_button(frame, "home", words.button_back),
    )
    return {"content": None, "embed": embed, "view": view}
