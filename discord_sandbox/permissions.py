"""Discord permission math: role bits, channel overwrites, thread inheritance.

Follows Discord's documented algorithm (base = @everyone | roles, administrator short-circuits,
then @everyone overwrite, role overwrites combined, member overwrite) so a test can stage a
permission fault exactly the way a server admin would cause it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from discord_sandbox.errors import SandboxError

if TYPE_CHECKING:
    from discord_sandbox.guild import Guild
    from discord_sandbox.model import Channel, Member

ALL_PERMISSIONS = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value
VIEW_CHANNEL = discord.Permissions(view_channel=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value
CREATE_PUBLIC_THREADS = discord.Permissions(create_public_threads=True).value
CREATE_PRIVATE_THREADS = discord.Permissions(create_private_threads=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
ADD_REACTIONS = discord.Permissions(add_reactions=True).value
READ_HISTORY = discord.Permissions(read_message_history=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value

#: What @everyone gets in a freshly created Discord server.
DEFAULT_EVERYONE = discord.Permissions(
    view_channel=True,
    create_instant_invite=True,
    change_nickname=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    use_external_stickers=True,
    read_message_history=True,
    use_application_commands=True,
    connect=True,
    speak=True,
).value

#: What the bot's managed role gets unless the Sandbox is told otherwise.
DEFAULT_BOT = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    manage_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    read_message_history=True,
    use_application_commands=True,
).value


def flag(name: str) -> int:
    """Return the bit for a discord.py permission name like ``"send_messages"``."""
    try:
        return discord.Permissions.VALID_FLAGS[name]
    except KeyError:
        raise SandboxError(f"unknown permission name {name!r}") from None


def base_permissions(guild: Guild, member: Member) -> int:
    """Guild-wide permissions of a member: owner and administrator get everything."""
    if member.id == guild.owner_id:
        return ALL_PERMISSIONS
    perms = guild.everyone_role.permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms


def channel_permissions(guild: Guild, channel: Channel, member: Member) -> int:
    """Permissions of a member in a channel; threads use their parent's overwrites."""
    perms = base_permissions(guild, member)
    if perms & ADMINISTRATOR:
        return ALL_PERMISSIONS
    source = channel
    if channel.is_thread and channel.parent_id is not None:
        source = guild.world.channels.get(channel.parent_id, channel)
    overwrites = source.overwrites
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member.role_ids:
        overwrite = overwrites.get(role_id)
        if overwrite is not None and overwrite.type == 0:
            allow |= overwrite.allow
            deny |= overwrite.deny
    perms = (perms & ~deny) | allow
    own = overwrites.get(member.id)
    if own is not None and own.type == 1:
        perms = (perms & ~own.deny) | own.allow
    if not perms & VIEW_CHANNEL:
        return 0
    return perms
