"""The single error handler: kind words for members, tracebacks for the log.

A member who hits a bug should not see a stack trace or silence. They get a
short apology and an incident id; the operator finds the same id in the log
next to the traceback. Slash commands, modals and buttons all end up here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.incidents import log_incident

log = logging.getLogger("bot.incidents")

INCIDENT_MESSAGE = (
    "Sorry, something went wrong on my side, and it is not your fault. "
    "If it keeps happening, a moderator can look up incident `{incident}`."
)
GUILD_ONLY_MESSAGE = "This works inside a server, so it can keep your numbers private there."
NO_PERMISSION_MESSAGE = "This one is for moderators. If you think you should have access, ask one."
UNKNOWN_VALUE_MESSAGE = "I don't know that value. Please pick one of the options Discord offers."
COOLDOWN_MESSAGE = "Let's take a breath: you can use this again in {seconds:.0f} seconds."


def explain(error: BaseException) -> str | None:
    """Turn an expected failure into the member's message; None means it is a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, UserFacingError):
        return original.message
    if isinstance(error, app_commands.NoPrivateMessage):
        return GUILD_ONLY_MESSAGE
    if isinstance(error, app_commands.TransformerError):
        return UNKNOWN_VALUE_MESSAGE
    if isinstance(error, app_commands.CommandOnCooldown):
        return COOLDOWN_MESSAGE.format(seconds=error.retry_after)
    if isinstance(error, app_commands.MissingPermissions | app_commands.MissingRole):
        return NO_PERMISSION_MESSAGE
    return None


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    mentions = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=mentions)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=mentions)


async def handle(interaction: discord.Interaction[Any], error: BaseException, where: str) -> None:
    """Tell the member what happened; log unexpected errors under an incident id."""
    text = explain(error)
    if text is None:
        text = INCIDENT_MESSAGE.format(incident=log_incident(where, error))
    try:
        await reply_privately(interaction, text)
    except discord.HTTPException:
        log.warning("could not tell the member about an error in %s (interaction expired?)", where)


async def guarded(
    interaction: discord.Interaction[Any], action: Awaitable[None], where: str
) -> None:
    """Run a button or modal action so any failure reaches `handle` instead of the void."""
    try:
        await action
    except Exception as error:  # noqa: BLE001 - this is the one central handler
        await handle(interaction, error, where)


class IncidentTree(app_commands.CommandTree[Any]):
    """Command tree whose errors end in a kind, ephemeral reply."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.qualified_name if interaction.command else "unknown"
        await handle(interaction, error, f"/{name}")
