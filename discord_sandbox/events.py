"""Gateway events for state changes, with the intent Discord gates each one behind.

Ephemeral messages are never dispatched: Discord shows them to one member only.
"""

from __future__ import annotations

from typing import Any

from discord_sandbox import payloads, payloads_message
from discord_sandbox.intents import (
    DIRECT_MESSAGE_REACTIONS,
    DIRECT_MESSAGES,
    GUILD_MEMBERS,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    GUILDS,
)
from discord_sandbox.model import Channel, Message
from discord_sandbox.world import World


def _message_intent(message: Message) -> int:
    return GUILD_MESSAGES if message.guild_id is not None else DIRECT_MESSAGES


def message_created(world: World, message: Message) -> None:
    """MESSAGE_CREATE for a visible message."""
    if not message.ephemeral:
        world.emit(
            "MESSAGE_CREATE",
            _message_intent(message),
            lambda: payloads_message.message(world, message, gateway=True),
        )


def message_updated(world: World, message: Message) -> None:
    """MESSAGE_UPDATE (full message, as Discord now sends) for a visible message."""
    if not message.ephemeral:
        world.emit(
            "MESSAGE_UPDATE",
            _message_intent(message),
            lambda: payloads_message.message(world, message, gateway=True),
        )


def message_deleted(world: World, message: Message) -> None:
    """MESSAGE_DELETE for a visible message."""
    if message.ephemeral:
        return
    data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
    if message.guild_id is not None:
        data["guild_id"] = str(message.guild_id)
    world.emit("MESSAGE_DELETE", _message_intent(message), lambda: data)


def reaction_changed(world: World, message: Message, emoji: str, user_id: int, added: bool) -> None:
    """MESSAGE_REACTION_ADD / _REMOVE."""
    name, _, emoji_id = emoji.partition(":")
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "channel_id": str(message.channel_id),
        "message_id": str(message.id),
        "emoji": {"id": emoji_id or None, "name": name},
        "burst": False,
        "type": 0,
    }
    intent = DIRECT_MESSAGE_REACTIONS
    if message.guild_id is not None:
        intent = GUILD_MESSAGE_REACTIONS
        data["guild_id"] = str(message.guild_id)
        member = world.guilds[message.guild_id].members.get(user_id)
        if added and member is not None:
            data["member"] = payloads.member(member)
    if added:
        data["message_author_id"] = str(message.author.id)
    world.emit("MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE", intent, lambda: data)


def channel_created(world: World, channel: Channel) -> None:
    """THREAD_CREATE (newly created, with the bot's membership) or CHANNEL_CREATE."""
    if not channel.is_thread:
        world.emit("CHANNEL_CREATE", GUILDS, lambda: payloads.channel(channel))
        return

    def build() -> dict[str, Any]:
        data = payloads.channel(channel) | {"newly_created": True}
        if world.bot_user.id in channel.thread_members:
            data["member"] = payloads.thread_member(channel, world.bot_user.id)
        return data

    world.emit("THREAD_CREATE", GUILDS, build)


def channel_updated(world: World, channel: Channel) -> None:
    """THREAD_UPDATE or CHANNEL_UPDATE with the whole channel."""
    event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
    world.emit(event, GUILDS, lambda: payloads.channel(channel))


def channel_deleted(world: World, channel: Channel) -> None:
    """THREAD_DELETE (partial) or CHANNEL_DELETE (whole channel)."""
    if channel.is_thread:
        data = {
            "id": str(channel.id),
            "guild_id": str(channel.guild_id),
            "parent_id": str(channel.parent_id),
            "type": int(channel.type),
        }
        world.emit("THREAD_DELETE", GUILDS, lambda: data)
    else:
        world.emit("CHANNEL_DELETE", GUILDS, lambda: payloads.channel(channel))


def thread_members_changed(world: World, thread: Channel, user_id: int, added: bool) -> None:
    """THREAD_MEMBER_UPDATE for the bot itself; THREAD_MEMBERS_UPDATE (members intent) for all."""
    bot_id = world.bot_user.id
    if added and user_id == bot_id:
        data = payloads.thread_member(thread, bot_id) | {"guild_id": str(thread.guild_id)}
        world.emit("THREAD_MEMBER_UPDATE", GUILDS, lambda: data)
    update: dict[str, Any] = {
        "id": str(thread.id),
        "guild_id": str(thread.guild_id),
        "member_count": min(len(thread.thread_members), 50),
    }
    if added:
        update["added_members"] = [payloads.thread_member(thread, user_id)]
    else:
        update["removed_member_ids"] = [str(user_id)]
    # Discord sends this without the members intent only when the bot itself was added/removed.
    intent = GUILDS if user_id == bot_id else GUILD_MEMBERS
    world.emit("THREAD_MEMBERS_UPDATE", intent, lambda: update)
