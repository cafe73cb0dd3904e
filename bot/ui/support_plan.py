"""The private plan form: four open boxes, pre-filled with what the member saved before.

Every box is optional, since a few words in one box is already a plan; leaving all
of them empty deletes the plan. The form's length limit is a courtesy: the
service checks again, because a modified client can send anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.content.support_schema import SupportMessages
from bot.domain.support import PLAN_FIELD_MAX, PLAN_FIELDS, SupportPlan
from bot.ui.incidents import guarded

SavePlan = Callable[[discord.Interaction[Any], dict[str, str]], Awaitable[None]]
# Long enough to write slowly on a phone; an expired form loses what was typed.
FORM_TIMEOUT = 1800


class PlanModal(discord.ui.Modal):
    """My warning signs, what helps me, people I can reach, my reasons to keep going."""

    def __init__(
        self, messages: SupportMessages, owner: int, plan: SupportPlan | None, save: SavePlan
    ) -> None:
        super().__init__(
            title=messages.plan_title, timeout=FORM_TIMEOUT, custom_id=f"support:form:{owner}"
        )
        self._save = save
        saved = plan.parts() if plan else {}
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for name in PLAN_FIELDS:
            box: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=getattr(messages, f"plan_{name}"),
                custom_id=name,
                style=discord.TextStyle.paragraph,
                placeholder=getattr(messages, f"plan_{name}_hint"),
                default=saved.get(name) or None,
                required=False,
                max_length=PLAN_FIELD_MAX,
            )
            self.inputs[name] = box
            self.add_item(box)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Save the plan; a failure reaches the central handler like any other."""
        values = {name: box.value for name, box in self.inputs.items()}
        await guarded(interaction, self._save(interaction, values), "support plan form")
