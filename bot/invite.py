"""The invite link: the one place that says which permissions Bounceback asks a server for.

README's "Running for real" quotes the same integer; a test keeps them equal, so
a change here is a change a server admin is told about.
"""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")

# Posting celebrations and shared tips, and running the weekly threads (open,
# reopen when archived, add members). Add Reactions and Read Message History are
# in the set README has always documented; no feature needs them today.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    manage_threads=True,
)


def invite_url(application_id: int) -> str:
    """Build the OAuth2 link a server admin opens to add the bot with exactly these permissions."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


async def application_id_for(token: str) -> int:
    """Ask Discord which application the token belongs to (GET /oauth2/applications/@me).

    Raises discord.LoginFailure for a rejected token and aiohttp/OS errors when
    Discord cannot be reached; the caller turns those into one readable line.
    """
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(token)
        if client.application_id is None:
            raise discord.LoginFailure("Discord returned no application for this token")
        return client.application_id
    finally:
        await client.close()
