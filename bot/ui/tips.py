"""How a tip looks, and its buttons: Another tip, Share with the channel, This helped.

The buttons are dynamic items: their custom ids carry the tip and the member,
so they keep working after a restart and only the member who asked can use them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.content.messages import Messages
from bot.services.tips import TipCard
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline
from bot.ui.incidents import guarded, reply_privately

if TYPE_CHECKING:
    from bot.app import Bounceback

NO_PINGS = discord.AllowedMentions.none()
REFLECT_TITLE = "Something to sit with"
# Escaping can double a text's length; embed descriptions hold 4096 and fields 1024.
TIP_TEXT_LIMIT = 4096
REFLECT_LIMIT = 1000
_TIP = r"(?P<tip>[a-z0-9-]{1,64})"
_OWNER = r"(?P<owner>\d{1,20})"


def tip_embed(card: TipCard, footer: str | None) -> discord.Embed:
    """The tip as members see it: topic, text, and the reflect question if any.

    Library tips are reviewed files and may use markdown; words typed into a
    modal are escaped so a stray ``` or # cannot swallow the rest of the embed.
    """
    typed = card.tip.source != "library"
    text = safe_inline(card.text, TIP_TEXT_LIMIT) if typed else card.text
    reflect = safe_inline(card.reflect, REFLECT_LIMIT) if typed and card.reflect else card.reflect
    title = f"{card.topic_emoji} {card.topic_name}" if card.topic_emoji else card.topic_name
    embed = calm_embed(title, text)
    if reflect:
        embed.add_field(name=REFLECT_TITLE, value=f"*{reflect}*", inline=False)
    if footer:
        embed.set_footer(text=footer)
    return embed


def tip_view(card: TipCard, owner: int) -> discord.ui.View:
    """The three buttons under a private tip."""
    view = discord.ui.View(timeout=None)
    view.add_item(NextTip(card.tip.id, owner))
    view.add_item(ShareTip(card.tip.id, owner))
    view.add_item(HelpedTip(card.tip.id, owner))
    return view


def tip_message(card: TipCard, owner: int, messages: Messages) -> dict[str, Any]:
    """Keyword arguments for sending or editing a private tip message."""
    note = messages.pick("tip_cycle_complete") if card.new_round else None
    return {
        "content": note,
        "embed": tip_embed(card, messages.pick("tip_footer")),
        "view": tip_view(card, owner),
    }


def _bot(interaction: discord.Interaction[Any]) -> Bounceback:
    return interaction.client  # type: ignore[no-any-return]


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale.value)


async def _refuse_stranger(interaction: discord.Interaction[Any], owner: int) -> bool:
    """True (after a kind reply) when someone other than the asker pressed a button."""
    if interaction.user.id == owner:
        return False
    messages = _bot(interaction).services.tips.library.messages
    await reply_privately(interaction, messages.pick("tip_not_yours"))
    return True


class NextTip(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:next:{_TIP}:{_OWNER}"
):
    """Another tip from the same topic, in place of this one."""

    def __init__(self, tip_id: str, owner: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Another tip",
            style=discord.ButtonStyle.primary,
            custom_id=f"tip:next:{tip_id}:{owner}",
        )
        super().__init__(button)
        self.tip_id, self.owner = tip_id, owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextTip:
        return cls(match["tip"], int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._next(interaction), "button: another tip")

    async def _next(self, interaction: discord.Interaction[Any]) -> None:
        if await _refuse_stranger(interaction, self.owner):
            return
        tips = _bot(interaction).services.tips
        current = await tips.tip_card(interaction.guild_id, self.tip_id, _locale(interaction))
        card = await tips.next_tip(
            interaction.guild_id, self.owner, current.tip.topic, _locale(interaction), self.tip_id
        )
        await interaction.response.edit_message(
            **tip_message(card, self.owner, tips.library.messages)
        )


class ShareTip(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:share:{_TIP}:{_OWNER}"
):
    """Offer to post the tip publicly, with or without the member's name."""

    def __init__(self, tip_id: str, owner: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Share with the channel",
            style=discord.ButtonStyle.secondary,
            custom_id=f"tip:share:{tip_id}:{owner}",
        )
        super().__init__(button)
        self.tip_id, self.owner = tip_id, owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareTip:
        return cls(match["tip"], int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._offer(interaction), "button: share tip")

    async def _offer(self, interaction: discord.Interaction[Any]) -> None:
        if await _refuse_stranger(interaction, self.owner):
            return
        messages = _bot(interaction).services.tips.library.messages
        view = discord.ui.View(timeout=None)
        view.add_item(PostTip(self.tip_id, self.owner, named=False))
        view.add_item(PostTip(self.tip_id, self.owner, named=True))
        await interaction.response.send_message(
            messages.pick("tip_share_choice"), view=view, ephemeral=True, allowed_mentions=NO_PINGS
        )


class PostTip(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"tip:post:{_TIP}:{_OWNER}:(?P<how>anon|named)",
):
    """Post the tip in the channel, attributed to no one unless the member chose their name."""

    def __init__(self, tip_id: str, owner: int, *, named: bool) -> None:
        how = "named" if named else "anon"
        label = "Share with my name" if named else "Share without my name"
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label,
            style=discord.ButtonStyle.secondary,
            custom_id=f"tip:post:{tip_id}:{owner}:{how}",
        )
        super().__init__(button)
        self.tip_id, self.owner, self.named = tip_id, owner, named

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PostTip:
        return cls(match["tip"], int(match["owner"]), named=match["how"] == "named")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._post(interaction), "button: post tip")

    async def _post(self, interaction: discord.Interaction[Any]) -> None:
        if await _refuse_stranger(interaction, self.owner):
            return
        tips = _bot(interaction).services.tips
        messages = tips.library.messages
        card = await tips.tip_card(
            interaction.guild_id,
            self.tip_id,
            interaction.guild_locale and str(interaction.guild_locale.value),
        )
        if self.named:
            name = discord.utils.escape_markdown(interaction.user.display_name)
            intro = messages.pick("tip_share_named", name=name)
        else:
            intro = messages.pick("tip_share_anonymous")
        await interaction.response.edit_message(content=messages.pick("tip_shared"), view=None)
        await interaction.followup.send(
            intro, embed=tip_embed(card, None), allowed_mentions=NO_PINGS
        )


class HelpedTip(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:helped:{_TIP}:{_OWNER}"
):
    """Count an anonymous "this helped" vote, once per member per tip."""

    def __init__(self, tip_id: str, owner: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="This helped",
            style=discord.ButtonStyle.success,
            custom_id=f"tip:helped:{tip_id}:{owner}",
        )
        super().__init__(button)
        self.tip_id, self.owner = tip_id, owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HelpedTip:
        return cls(match["tip"], int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._vote(interaction), "button: this helped")

    async def _vote(self, interaction: discord.Interaction[Any]) -> None:
        if await _refuse_stranger(interaction, self.owner):
            return
        tips = _bot(interaction).services.tips
        counted = await tips.mark_helped(interaction.guild_id, self.owner, self.tip_id)
        key = "tip_helped_thanks" if counted else "tip_helped_already"
        await reply_privately(interaction, tips.library.messages.pick(key))


TIP_BUTTONS = (NextTip, ShareTip, PostTip, HelpedTip)
