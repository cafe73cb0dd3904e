"""Message JSON (with attachments, reactions, mentions) built from the sandbox model.

Split from ``payloads`` because messages are the busiest shape: channel sends, interaction
responses, follow-ups and gateway dispatches all render through ``message()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord_sandbox.ids import iso, snowflake_time
from discord_sandbox.model import Attachment, Message
from discord_sandbox.payloads import channel, member, opt, user

if TYPE_CHECKING:
    from discord_sandbox.world import World

JSON = dict[str, Any]


def attachment(world: World, channel_id: int, a: Attachment) -> JSON:
    """Build an attachment object whose URL the sandbox actually serves."""
    url = f"{world.cdn_base}/attachments/{channel_id}/{a.id}/{a.filename}"
    data: JSON = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": url,
        "proxy_url": url,
        "flags": 0,
    }
    if a.content_type is not None:
        data["content_type"] = a.content_type
    if a.description is not None:
        data["description"] = a.description
    return data


def message(world: World, m: Message, *, gateway: bool = False) -> JSON:
    """Build a message object; gateway dispatches add ``guild_id`` and the author's ``member``."""
    data: JSON = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(snowflake_time(m.id)),
        "edited_timestamp": iso(m.edited_timestamp) if m.edited_timestamp else None,
        "tts": m.tts,
        "mention_everyone": m.mention_everyone,
        "mentions": [user(world.users[u]) for u in m.mention_ids if u in world.users],
        "mention_roles": [str(r) for r in m.mention_role_ids],
        "attachments": [attachment(world, m.channel_id, a) for a in m.attachments],
        "embeds": m.embeds,
        "pinned": False,
        "type": m.type,
        "flags": m.flags,
        "components": m.components,
    }
    optional = {
        "nonce": m.nonce,
        "webhook_id": opt(m.webhook_id),
        "application_id": opt(m.application_id),
        "interaction_metadata": m.interaction_metadata,
        "message_reference": m.message_reference,
    }
    data |= {k: v for k, v in optional.items() if v is not None}
    if m.reactions:
        data["reactions"] = [
            _reaction(world, e, users) for e, users in m.reactions.items() if users
        ]
    if m.thread_id is not None and m.thread_id in world.channels:
        data["thread"] = channel(world.channels[m.thread_id])
    if gateway and m.guild_id is not None:
        data["guild_id"] = str(m.guild_id)
        author = world.guilds[m.guild_id].members.get(m.author.id)
        if author is not None and m.webhook_id is None:
            data["member"] = member(author, with_user=False)
    return data


def _reaction(world: World, emoji: str, users: set[int]) -> JSON:
    name, _, emoji_id = emoji.partition(":")
    return {
        "count": len(users),
        "count_details": {"burst": 0, "normal": len(users)},
        "me": world.bot_user.id in users,
        "me_burst": False,
        "burst_colors": [],
        "emoji": {"id": emoji_id or None, "name": name},
    }
