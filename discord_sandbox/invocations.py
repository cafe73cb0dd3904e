"""Build INTERACTION_CREATE payloads for what a member does: commands, clicks, modals.

Payloads carry every field discord.py 2.7 reads (``attachment_size_limit``, ``context``,
``authorizing_integration_owners``, ``member.permissions`` ...) and nothing a real client could
not send: components must exist on the message, modal inputs must exist in the modal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from discord_sandbox import payloads, payloads_message
from discord_sandbox.commands import CommandRegistry
from discord_sandbox.components import SELECT_TYPES, checked_values, submitted, walk
from discord_sandbox.errors import SandboxError
from discord_sandbox.ids import interaction_token
from discord_sandbox.intents import ALWAYS
from discord_sandbox.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    CapturedModal,
    InteractionRecord,
    InteractionStore,
)
from discord_sandbox.model import Channel, Member, Message, User
from discord_sandbox.options import OptionBuilder
from discord_sandbox.world import World

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
DM_APP_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
).value


class Invoker:
    """Create interaction records and dispatch them to the bot."""

    def __init__(self, world: World, commands: CommandRegistry, store: InteractionStore) -> None:
        self.world = world
        self.commands = commands
        self.store = store

    def command(
        self,
        who: Member | User,
        path: str,
        options: Mapping[str, Any],
        channel: Channel | None,
        locale: str | None,
        focused: str | None = None,
        strict: bool = True,
    ) -> InteractionRecord:
        """Send a slash command (type 2) or, with ``focused``, an autocomplete request (type 4)."""
        name, *rest = path.split()
        channel = self._channel_for(who, channel)
        guild = self.world.guilds[channel.guild_id] if channel.guild_id is not None else None
        command = self.commands.find(name, guild.id if guild is not None else None)
        builder = OptionBuilder(guild, who if isinstance(who, Member) else None, channel, strict)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": builder.build(command, rest, options, focused),
        }
        if builder.resolved:
            data["resolved"] = builder.resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        kind = AUTOCOMPLETE if focused is not None else APPLICATION_COMMAND
        return self._dispatch(kind, who, channel, locale, data, None)

    def component(
        self,
        who: Member | User,
        message: Message,
        custom_id: str,
        values: Sequence[str] | None,
        locale: str | None,
    ) -> InteractionRecord:
        """Send a button click (values None) or select choice on a message the bot sent."""
        if message.deleted:
            raise SandboxError(f"message {message.id} was deleted; nothing to click")
        component = next(
            (c for c in walk(message.components) if c.get("custom_id") == custom_id), None
        )
        if component is None:
            ids = [c["custom_id"] for c in walk(message.components) if "custom_id" in c]
            raise SandboxError(f"message {message.id} has no component {custom_id!r}; it has {ids}")
        if component.get("disabled"):
            raise SandboxError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is None:
            if component["type"] != 2:
                raise SandboxError(f"{custom_id!r} is not a button; use select()")
        else:
            if component["type"] not in SELECT_TYPES:
                raise SandboxError(f"{custom_id!r} is not a select menu; use click()")
            data["values"] = checked_values(component, list(values))
        channel = self.world.channel(message.channel_id)
        return self._dispatch(MESSAGE_COMPONENT, who, channel, locale, data, message)

    def modal(
        self,
        who: Member | User,
        modal: CapturedModal,
        values: Mapping[str, Any],
        locale: str | None,
        *,
        enforce_limits: bool = True,
    ) -> InteractionRecord:
        """Submit a modal the bot opened, filling its inputs from ``values`` by custom_id."""
        unknown = set(values) - set(modal.input_ids)
        if unknown:
            raise SandboxError(
                f"modal {modal.custom_id!r} has no input {sorted(unknown)}; it has {modal.input_ids}"
            )
        limits = enforce_limits
        components = [submitted(c, values, enforce_limits=limits) for c in modal.components]
        data = {"custom_id": modal.custom_id, "components": components}
        channel = self.world.channel(modal.channel_id)
        message = self.world.messages.get(modal.message_id) if modal.message_id else None
        return self._dispatch(MODAL_SUBMIT, who, channel, locale, data, message)

    def _channel_for(self, who: Member | User, channel: Channel | None) -> Channel:
        if isinstance(who, User):
            if channel is not None and channel.guild_id is not None:
                raise SandboxError("a User invokes in DMs; pass a Member to invoke in a guild")
            return self.world.dm_channel(who)
        if channel is None:
            guild = self.world.guilds[who.guild_id]
            channel = next((c for c in guild.channels if c.type == 0), None)
            if channel is None:
                raise SandboxError(f"guild {guild.name!r} has no text channel to invoke in")
        if channel.guild_id != who.guild_id:
            raise SandboxError("the channel is not in the member's guild")
        if channel.deleted:
            raise SandboxError(f"channel {channel.name!r} was deleted")
        return channel

    def _dispatch(
        self,
        kind: int,
        who: Member | User,
        channel: Channel,
        locale: str | None,
        data: dict[str, Any],
        message: Message | None,
    ) -> InteractionRecord:
        world = self.world
        user = who.user if isinstance(who, Member) else who
        record_id = world.ids.next()
        payload: dict[str, Any] = {
            "id": str(record_id),
            "application_id": str(world.application_id),
            "type": kind,
            "data": data,
            "token": interaction_token(),
            "version": 1,
            "locale": locale or user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(channel.id),
        }
        if isinstance(who, Member):
            guild = world.guilds[who.guild_id]
            perms = guild.permissions_for(who, channel)
            payload |= {
                "guild_id": str(guild.id),
                "guild_locale": guild.locale,
                "context": 0,
                "guild": {"id": str(guild.id), "locale": guild.locale, "features": guild.features},
                "member": payloads.member(who, permissions=perms),
                "channel": payloads.channel(channel) | {"permissions": str(perms)},
                "app_permissions": str(guild.permissions_for(guild.bot_member, channel)),
                "authorizing_integration_owners": {"0": str(guild.id)},
            }
        else:
            payload |= {
                "user": payloads.user(user),
                "context": 1,
                "channel": payloads.channel(channel),
                "app_permissions": str(DM_APP_PERMISSIONS),
                "authorizing_integration_owners": {"0": "0"},
            }
        if message is not None:
            payload["message"] = payloads_message.message(world, message)
        record = InteractionRecord(
            record_id, payload["token"], kind, payload, user, channel.guild_id, channel.id, message
        )
        self.store.add(record)
        world.emit("INTERACTION_CREATE", ALWAYS, lambda: payload)
        return record
