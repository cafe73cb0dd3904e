"""/tip: a short, warm reframing tip, private by default, with buttons to go further.

Who may press a tip's buttons comes from the message itself: Discord records
which member's interaction created it, and anyone else is kindly refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.speaking import speaking
from bot.ui.buttons import Press, PressHandler, on_press
from bot.ui.formatting import NO_PINGS, shown_name
from bot.ui.incidents import reply_privately
from bot.ui.tips import (
    HELPED_TIP,
    NEXT_TIP,
    POST_TIP,
    SHARE_TIP,
    share_view,
    tip_embed,
    tip_message,
)

if TYPE_CHECKING:
    from bot.client import Bounceback

Pressing = discord.Interaction[Any]


def message_owner(interaction: Pressing) -> int | None:
    """Return who created the clicked message with a command or button press (None: unknown)."""
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata.user.id if metadata is not None else None


def _locale(interaction: Pressing) -> str:
    return str(interaction.locale.value)


class Tips(commands.Cog):
    """Reframing tips."""

    help_section = "help_tips"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.tips = bot.services.tips
        self.share_prompts = bot.services.share_prompts
        self.setup = bot.services.setup

    def buttons(self) -> tuple[PressHandler, ...]:
        """Return the handlers for the buttons under a tip and under the share choice."""
        return (
            on_press(NEXT_TIP, "button: another tip", self._owned(self.next_pressed)),
            on_press(SHARE_TIP, "button: share tip", self._owned(self.share_pressed)),
            on_press(POST_TIP, "button: post tip", self._owned(self.post_pressed)),
            on_press(HELPED_TIP, "button: this helped", self._owned(self.helped_pressed)),
        )

    def _owned(self, act: Press) -> Press:
        """`act`, for the member the tip was shown to; anyone else gets a kind refusal."""

        async def checked(interaction: Pressing, press: re.Match[str]) -> None:
            if message_owner(interaction) != interaction.user.id:
                await reply_privately(interaction, self.tips.library.messages.pick("tip_not_yours"))
                return
            await act(interaction, press)

        return checked

    async def next_pressed(self, interaction: Pressing, press: re.Match[str]) -> None:
        """Another tip from the same topic, in place of this one."""
        card = await self.tips.another_tip(
            interaction.guild_id, interaction.user.id, press["tip"], _locale(interaction)
        )
        await interaction.response.edit_message(**tip_message(card, self.tips.library.messages))

    async def share_pressed(self, interaction: Pressing, press: re.Match[str]) -> None:
        """Offer to post the tip publicly, with or without the member's name."""
        await interaction.response.send_message(
            self.tips.library.messages.pick("tip_share_choice"),
            view=share_view(press["tip"], self.tips.library.messages),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    async def post_pressed(self, interaction: Pressing, press: re.Match[str]) -> None:
        """Post the tip in the channel; both buttons of a prompt share one claim, first press wins."""
        messages = self.tips.library.messages
        prompt = interaction.message
        if prompt is not None and not self.share_prompts.claim(prompt.id):  # before any await
            await reply_privately(interaction, messages.pick("tip_already_shared"))
            return
        await interaction.response.edit_message(content=messages.pick("tip_shared"), view=None)
        # The channel reads it: the whole post in the server's language, like the weekly posts.
        audience = await self.setup.language(interaction.guild_id or 0) or (
            interaction.guild_locale and str(interaction.guild_locale.value)
        )
        card = await self.tips.tip_card(interaction.guild_id, press["tip"], audience)
        with speaking(audience):
            words = self.tips.library.messages  # the server's, inside this block
            if press["how"] == "named":
                intro = words.pick("tip_share_named", name=shown_name(interaction.user))
            else:
                intro = words.pick("tip_share_anonymous")
            embed = tip_embed(card, None, words.tip_reflect_title)
        await interaction.followup.send(intro, embed=embed, allowed_mentions=NO_PINGS)

    async def helped_pressed(self, interaction: Pressing, press: re.Match[str]) -> None:
        """Count an anonymous "this helped" vote, once per member per tip."""
        counted = await self.tips.mark_helped(
            interaction.guild_id, interaction.user.id, press["tip"]
        )
        key = "tip_helped_thanks" if counted else "tip_helped_already"
        await reply_privately(interaction, self.tips.library.messages.pick(key))

    @app_commands.command(name="tip", description="Get a short reframing tip, just for you")
    @app_commands.describe(topic="A topic to draw from (leave empty for any)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def tip(
        self, interaction: discord.Interaction[Bounceback], topic: str | None = None
    ) -> None:
        """Show a tip privately; the member chooses whether to share it."""
        tips = self.tips
        card = await tips.next_tip(
            interaction.guild_id, interaction.user.id, topic, str(interaction.locale.value)
        )
        await interaction.response.send_message(
            **tip_message(card, tips.library.messages),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @tip.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction[Bounceback], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = await self.tips.topic_choices(
            interaction.guild_id, str(interaction.locale.value), current
        )
        return [app_commands.Choice(name=c.name, value=c.id) for c in choices]


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Tips(bot)
    bot.presses.add(*cog.buttons())
    await bot.add_cog(cog)
