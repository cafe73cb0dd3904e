"""Discord API v10 JSON shapes built from the sandbox model.

Every shape carries the fields discord.py reads with ``data[...]`` (see ``discord/types``) plus
the common optional ones, so the client parses them without KeyErrors or warnings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord_sandbox.ids import iso
from discord_sandbox.model import (
    Channel,
    ChannelType,
    Member,
    Overwrite,
    Role,
    User,
)

if TYPE_CHECKING:
    from discord_sandbox.guild import Guild
    from discord_sandbox.world import World

JSON = dict[str, Any]


def user(u: User) -> JSON:
    """Build a user object; modern usernames have discriminator "0"."""
    data: JSON = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "avatar_decoration_data": None,
        "public_flags": 0,
    }
    if u.bot:
        data["bot"] = True
    return data


def role(r: Role) -> JSON:
    """Build a role object (with ``tags.bot_id`` for a bot's managed role)."""
    data: JSON = {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> JSON:
    """Build a guild member object; interactions add the ``permissions`` string."""
    data: JSON = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.role_ids],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def overwrite(o: Overwrite) -> JSON:
    """Build a permission overwrite object (ids and bit sets as strings, like Discord)."""
    return {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}


def channel(c: Channel) -> JSON:
    """Build a channel object shaped for its type (text, forum, category, thread, DM)."""
    if c.type == ChannelType.DM:
        recipients = [user(c.recipient)] if c.recipient is not None else []
        return {
            "id": str(c.id),
            "type": 1,
            "last_message_id": opt(c.last_message_id),
            "recipients": recipients,
            "flags": 0,
        }
    if c.is_thread:
        return _thread(c)
    data: JSON = {
        "id": str(c.id),
        "type": int(c.type),
        "guild_id": str(c.guild_id),
        "name": c.name,
        "position": c.position,
        "permission_overwrites": [overwrite(o) for o in c.overwrites.values()],
        "nsfw": c.nsfw,
        "parent_id": opt(c.parent_id),
        "flags": 0,
    }
    if c.type in (ChannelType.TEXT, ChannelType.FORUM):
        data |= {
            "topic": c.topic,
            "last_message_id": opt(c.last_message_id),
            "rate_limit_per_user": c.rate_limit_per_user,
            "default_auto_archive_duration": 1440,
            "default_thread_rate_limit_per_user": 0,
        }
    if c.type == ChannelType.FORUM:
        data |= {
            "available_tags": c.available_tags,
            "default_reaction_emoji": None,
            "default_sort_order": None,
            "default_forum_layout": 0,
        }
    return data


def _thread(c: Channel) -> JSON:
    archived_at = c.archive_timestamp or c.created_at
    metadata: JSON = {
        "archived": c.archived,
        "auto_archive_duration": c.auto_archive_duration,
        "archive_timestamp": iso(archived_at),
        "locked": c.locked,
        "create_timestamp": iso(c.created_at),
    }
    if c.type == ChannelType.PRIVATE_THREAD:
        metadata["invitable"] = c.invitable
    return {
        "id": str(c.id),
        "type": int(c.type),
        "guild_id": str(c.guild_id),
        "parent_id": str(c.parent_id),
        "owner_id": str(c.owner_id),
        "name": c.name,
        "last_message_id": opt(c.last_message_id),
        "rate_limit_per_user": c.rate_limit_per_user,
        "message_count": len(c.live_messages),
        "member_count": min(len(c.thread_members), 50),
        "total_message_sent": c.total_message_sent,
        "flags": 0,
        "applied_tags": [str(t) for t in c.applied_tags],
        "thread_metadata": metadata,
    }


def thread_member(thread: Channel, user_id: int) -> JSON:
    """Build a thread member object (who joined the thread, and when)."""
    joined = thread.thread_members.get(user_id, thread.created_at)
    return {
        "id": str(thread.id),
        "user_id": str(user_id),
        "join_timestamp": iso(joined),
        "flags": 0,
    }


def guild_create(world: World, g: Guild) -> JSON:
    """GUILD_CREATE for a bot without the members intent: only the bot's member is listed."""
    bot_id = world.bot_user.id
    live = g.channels
    threads = []
    for c in live:
        if c.is_thread and not c.archived:
            data = channel(c)
            if bot_id in c.thread_members:
                data["member"] = thread_member(c, bot_id)
            threads.append(data)
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "nsfw": False,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": g.locale,
        "features": list(g.features),
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "joined_at": iso(g.bot_member.joined_at),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": g.member_count,
        "members": [member(g.bot_member)],
        "presences": [],
        "voice_states": [],
        "channels": [channel(c) for c in live if not c.is_thread],
        "threads": threads,
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "incidents_data": None,
        "hub_type": None,
    }


def opt(value: int | None) -> str | None:
    """Render an optional snowflake as Discord does: a string, or null when absent."""
    return None if value is None else str(value)
