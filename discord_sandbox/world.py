"""The World: every guild, channel, user and message the sandbox knows, plus event emission.

REST handlers and the test-facing facade both mutate the World; it forwards gateway events to
whatever dispatcher is attached (the gateway) and wakes waiters through ``changes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from discord_sandbox import payloads
from discord_sandbox.errors import SandboxError, unknown_channel, unknown_guild, unknown_message
from discord_sandbox.guild import Guild
from discord_sandbox.ids import SnowflakeFactory, utcnow
from discord_sandbox.intents import GUILDS
from discord_sandbox.model import Channel, ChannelType, Member, Message, Role, User
from discord_sandbox.nonces import NonceRegistry
from discord_sandbox.permissions import DEFAULT_BOT
from discord_sandbox.signals import Changes


class Dispatcher(Protocol):
    """Anything that can deliver a gateway dispatch (the gateway, in practice)."""

    @property
    def active(self) -> bool:
        """True when a session exists to deliver (or buffer) events for."""
        ...

    def dispatch(self, event: str, data: dict[str, Any], intent: int) -> None:
        """Send or buffer one dispatch for the current session."""
        ...


class World:
    """All sandbox state; one per Sandbox."""

    def __init__(self, bot_name: str, bot_permissions: int = DEFAULT_BOT) -> None:
        self.ids = SnowflakeFactory()
        self.bot_user = User(self.ids.next(), bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.bot_permissions = bot_permissions
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.nonces = NonceRegistry()
        self.dm_channels: dict[int, Channel] = {}
        self.changes = Changes()
        self.dispatcher: Dispatcher | None = None
        self.cdn_base = "https://cdn.discordapp.com"
        self.developer = self.create_user("sandbox_developer")

    def emit(self, event: str, intent: int, build: Callable[[], dict[str, Any]]) -> None:
        """Dispatch ``event`` if a session is listening; the payload is built only then."""
        if self.dispatcher is not None and self.dispatcher.active:
            self.dispatcher.dispatch(event, build(), intent)

    def create_user(
        self, username: str, *, global_name: str | None = None, locale: str = "en-US"
    ) -> User:
        """Create a human user (not yet in any guild)."""
        user = User(self.ids.next(), username, global_name or username.title(), locale=locale)
        self.users[user.id] = user
        return user

    def create_guild(
        self, name: str, *, locale: str = "en-US", member_count: int | None = None
    ) -> Guild:
        """Create a guild the bot is in, with its managed bot role and bot member."""
        guild = Guild(self, self.ids.next_guild(), name, locale, member_count)
        self.guilds[guild.id] = guild
        owner = self.create_user(f"{name.lower().replace(' ', '_')[:20]}_owner")
        guild.owner_id = owner.id
        guild.members[owner.id] = Member(owner, guild.id, [], guild.created_at)
        bot_role = Role(self.ids.next(), guild.id, self.bot_user.username, self.bot_permissions, 1)
        bot_role.managed = True
        bot_role.bot_id = self.bot_user.id
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = Member(self.bot_user, guild.id, [bot_role.id], utcnow())
        # A join carries no "unavailable" key; discord.py then dispatches guild_join.
        self.emit(
            "GUILD_CREATE", GUILDS, lambda: _without_unavailable(payloads.guild_create(self, guild))
        )
        return guild

    def remove_bot(self, guild: Guild) -> None:
        """Kick the bot from ``guild`` (or let it leave): GUILD_DELETE without "unavailable".

        The guild stays in the world, so `add_bot` can bring the bot back to it as it was.
        """
        guild.members.pop(self.bot_user.id, None)
        self.emit("GUILD_DELETE", GUILDS, lambda: {"id": str(guild.id)})

    def add_bot(self, guild: Guild) -> None:
        """Add the bot back to ``guild``, with its managed role: GUILD_CREATE as a join."""
        roles = [r.id for r in guild.roles.values() if r.bot_id == self.bot_user.id]
        guild.members[self.bot_user.id] = Member(self.bot_user, guild.id, roles, utcnow())
        self.emit(
            "GUILD_CREATE", GUILDS, lambda: _without_unavailable(payloads.guild_create(self, guild))
        )

    def has_bot(self, guild: Guild) -> bool:
        """Say whether the bot is a member of ``guild`` (READY lists only those)."""
        return self.bot_user.id in guild.members

    def register_channel(self, channel: Channel) -> None:
        """Index a new channel or thread (and attach it to its guild)."""
        self.channels[channel.id] = channel
        if channel.guild_id is not None:
            self.guilds[channel.guild_id].channel_ids.append(channel.id)

    def dm_channel(self, user: User) -> Channel:
        """Return (creating on first use) the DM channel between the bot and ``user``."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(self.ids.next(), ChannelType.DM, "", None, recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def guild(self, guild_id: int) -> Guild:
        """Return a guild or raise Discord's 404 10004."""
        guild = self.guilds.get(guild_id)
        if guild is None:
            raise unknown_guild()
        return guild

    def channel(self, channel_id: int) -> Channel:
        """Return a live channel or raise Discord's 404 10003."""
        channel = self.channels.get(channel_id)
        if channel is None or channel.deleted:
            raise unknown_channel()
        return channel

    def message(self, channel: Channel, message_id: int) -> Message:
        """Return a live message of ``channel`` or raise Discord's 404 10008."""
        message = self.messages.get(message_id)
        if message is None or message.deleted or message.channel_id != channel.id:
            raise unknown_message()
        return message

    def user(self, user_id: int) -> User:
        """Return a known user (test-side lookups)."""
        try:
            return self.users[user_id]
        except KeyError:
            raise SandboxError(f"unknown user id {user_id}") from None

    def store_message(self, channel: Channel, message: Message) -> None:
        """Append a new message to its channel and wake waiters."""
        channel.messages.append(message)
        channel.last_message_id = message.id
        if channel.is_thread:
            channel.total_message_sent += 1
        self.messages[message.id] = message
        self.changes.notify()


def _without_unavailable(data: dict[str, Any]) -> dict[str, Any]:
    data.pop("unavailable", None)
    return data
