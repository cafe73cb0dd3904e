"""The single error handler: kind words for members, tracebacks for the log.

A member who hits a bug should not see a stack trace or silence. They get a
short apology and an incident id; the operator finds the same id in the log
next to the traceback. Slash commands, modals and buttons all end up here,
in the wording of content/messages.yaml that is live at that moment.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.messages import Messages
from bot.content.speaking import speak_for_this_task
from bot.errors import UserFacingError
from bot.incidents import log_incident
from bot.ui.formatting import NO_PINGS

log = logging.getLogger("bot.incidents")
Words = Callable[[], Messages]


def explain(error: BaseException, words: Messages) -> str | None:
    """Turn an expected failure into the member's message; None means it is a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, UserFacingError):
        return original.message
    if isinstance(error, app_commands.NoPrivateMessage):
        return words.pick("guild_only")
    if isinstance(error, app_commands.TransformerError):
        return words.pick("unknown_choice")
    if isinstance(error, app_commands.CommandOnCooldown):
        return words.pick("cooldown", seconds=f"{error.retry_after:.0f}")
    if isinstance(error, app_commands.MissingPermissions | app_commands.MissingRole):
        return words.pick("missing_permission")
    return None


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def handle(
    interaction: discord.Interaction[Any], error: BaseException, where: str, words: Messages
) -> None:
    """Tell the member what happened; log unexpected errors under an incident id."""
    text = explain(error, words)
    if text is None:
        text = words.pick("incident", incident=log_incident(where, error))
    try:
        await reply_privately(interaction, text)
    except discord.HTTPException:
        log.warning("could not tell the member about an error in %s (interaction expired?)", where)


def speak_to(interaction: discord.Interaction[Any]) -> None:
    """Answer this interaction, to its end, in the language of the member's Discord."""
    speak_for_this_task(interaction.locale.value)


async def guarded(
    interaction: discord.Interaction[Any], action: Awaitable[None], where: str
) -> None:
    """Run a button or modal action in the member's language; failures reach the tree."""
    speak_to(interaction)
    try:
        await action
    except Exception as error:
        client = interaction.client
        tree = client.tree if isinstance(client, commands.Bot) else None
        if not isinstance(tree, IncidentTree):
            raise
        await tree.report(interaction, error, where)


class IncidentTree(app_commands.CommandTree[Any]):
    """Command tree whose errors end in a kind, ephemeral reply.

    discord.py builds the tree from its class, so the wording is bound to a
    subclass by `incident_tree`; this base class alone has no voice.
    """

    def messages(self) -> Messages:
        """Return the live wording; `incident_tree` binds it, the base has none."""
        raise NotImplementedError("build the tree class with incident_tree(words)")

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Every command and autocomplete runs in the member's language (errors too)."""
        speak_to(interaction)
        return True

    async def report(
        self, interaction: discord.Interaction[Any], error: BaseException, where: str
    ) -> None:
        """Answer the member for a failed command, button or form."""
        await handle(interaction, error, where, self.messages())

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Answer a failed slash command the same way as a failed button or form."""
        name = interaction.command.qualified_name if interaction.command else "unknown"
        await self.report(interaction, error, f"/{name}")


def incident_tree(words: Words) -> type[IncidentTree]:
    """Make the tree class for one bot, answering in the live wording `words()` returns."""

    class VoicedIncidentTree(IncidentTree):
        def messages(self) -> Messages:
            return words()

    return VoicedIncidentTree
