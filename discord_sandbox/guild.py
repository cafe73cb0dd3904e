"""A sandbox guild and the ways a test builds one: channels, forums, roles, members.

Creation methods work before and after the bot connects; afterwards they dispatch the gateway
event Discord would send (CHANNEL_CREATE, GUILD_ROLE_CREATE, GUILD_MEMBER_ADD) so the bot's
cache stays in step with the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from discord_sandbox import payloads
from discord_sandbox.errors import SandboxError
from discord_sandbox.ids import utcnow
from discord_sandbox.intents import GUILD_MEMBERS, GUILDS
from discord_sandbox.model import Channel, ChannelType, Member, Role, User
from discord_sandbox.permissions import DEFAULT_EVERYONE, channel_permissions

if TYPE_CHECKING:
    from discord_sandbox.world import World


class Guild:
    """A Discord server as the sandbox holds it; ``id`` is what tests pass around."""

    def __init__(
        self, world: World, guild_id: int, name: str, locale: str, member_count: int | None
    ) -> None:
        self.world = world
        self.id = guild_id
        self.name = name
        self.locale = locale
        self.owner_id = 0
        self.created_at: dt.datetime = utcnow()
        self.roles: dict[int, Role] = {
            guild_id: Role(guild_id, guild_id, "@everyone", DEFAULT_EVERYONE)
        }
        self.members: dict[int, Member] = {}
        self.channel_ids: list[int] = []
        self.features: list[str] = []
        self._member_count = member_count

    def __repr__(self) -> str:
        return f"<sandbox Guild id={self.id} name={self.name!r}>"

    @property
    def everyone_role(self) -> Role:
        """The @everyone role (same id as the guild)."""
        return self.roles[self.id]

    @property
    def bot_member(self) -> Member:
        """The bot's own membership."""
        return self.members[self.world.bot_user.id]

    @property
    def member_count(self) -> int:
        """Members as Discord reports them (overridable for cheap large-guild simulation)."""
        return self._member_count if self._member_count is not None else len(self.members)

    @property
    def channels(self) -> list[Channel]:
        """Live (not deleted) channels and threads of this guild, in creation order."""
        found = (self.world.channels.get(cid) for cid in self.channel_ids)
        return [c for c in found if c is not None and not c.deleted]

    def channel_named(self, name: str) -> Channel:
        """Return the live channel or thread called ``name``."""
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise SandboxError(f"guild {self.name!r} has no channel named {name!r}")

    def create_text_channel(
        self, name: str, *, category: Channel | None = None, topic: str | None = None
    ) -> Channel:
        """Create a text channel (type 0)."""
        return self._add_channel(ChannelType.TEXT, name, category, topic=topic)

    def create_forum_channel(
        self, name: str, *, category: Channel | None = None, tags: Sequence[str] = ()
    ) -> Channel:
        """Create a forum channel (type 15), optionally with tags."""
        channel = self._add_channel(ChannelType.FORUM, name, category, emit=False)
        channel.available_tags = [
            {
                "id": str(self.world.ids.next()),
                "name": tag,
                "moderated": False,
                "emoji_id": None,
                "emoji_name": None,
            }
            for tag in tags
        ]
        self._emit_channel("CHANNEL_CREATE", channel)
        return channel

    def create_category(self, name: str) -> Channel:
        """Create a category (type 4) to group channels under."""
        return self._add_channel(ChannelType.CATEGORY, name, None)

    def create_role(
        self, name: str, *, permissions: int = 0, color: int = 0, mentionable: bool = False
    ) -> Role:
        """Create a role with the given permission bits (``discord.Permissions(...).value``)."""
        role = Role(self.world.ids.next(), self.id, name, permissions, len(self.roles), color)
        role.mentionable = mentionable
        self.roles[role.id] = role
        self.world.emit(
            "GUILD_ROLE_CREATE",
            GUILDS,
            lambda: {"guild_id": str(self.id), "role": payloads.role(role)},
        )
        return role

    def update_role(
        self, role: Role, *, permissions: int | None = None, name: str | None = None
    ) -> Role:
        """Change a role as an admin would (dispatches GUILD_ROLE_UPDATE)."""
        if role.guild_id != self.id:
            raise SandboxError(f"role {role.name!r} is not a role of guild {self.name!r}")
        if permissions is not None:
            role.permissions = permissions
        if name is not None:
            role.name = name
        self.world.emit(
            "GUILD_ROLE_UPDATE",
            GUILDS,
            lambda: {"guild_id": str(self.id), "role": payloads.role(role)},
        )
        return role

    def add_member(
        self,
        username: str,
        *,
        permissions: int | None = None,
        roles: Iterable[Role] = (),
        locale: str = "en-US",
        nick: str | None = None,
        global_name: str | None = None,
    ) -> Member:
        """Add a human member; ``permissions`` creates a personal role carrying those bits."""
        user = self.world.create_user(username, global_name=global_name, locale=locale)
        role_ids = [role.id for role in roles]
        if permissions is not None:
            role_ids.append(self.create_role(f"{username} permissions", permissions=permissions).id)
        return self.add_user(user, role_ids=role_ids, nick=nick)

    def add_user(
        self, user: User, *, role_ids: Sequence[int] = (), nick: str | None = None
    ) -> Member:
        """Make an existing user (one already in another guild, say) a member here."""
        for role_id in role_ids:
            if role_id not in self.roles:
                raise SandboxError(f"role {role_id} is not a role of guild {self.name!r}")
        member = Member(user, self.id, list(role_ids), utcnow(), nick)
        self.members[user.id] = member
        self.world.emit(
            "GUILD_MEMBER_ADD",
            GUILD_MEMBERS,
            lambda: payloads.member(member) | {"guild_id": str(self.id)},
        )
        return member

    def add_members(self, count: int, *, prefix: str = "member") -> list[Member]:
        """Add ``count`` plain members cheaply (benchmarks build thousands)."""
        return [self.add_member(f"{prefix}{len(self.members) + 1}") for _ in range(count)]

    def member(self, user_id: int) -> Member:
        """Return the member with this user id."""
        try:
            return self.members[user_id]
        except KeyError:
            raise SandboxError(f"user {user_id} is not a member of {self.name!r}") from None

    def permissions_for(self, member: Member, channel: Channel) -> int:
        """Effective permission bits of ``member`` in ``channel``."""
        return channel_permissions(self, channel, member)

    def _add_channel(
        self,
        kind: ChannelType,
        name: str,
        category: Channel | None,
        *,
        topic: str | None = None,
        emit: bool = True,
    ) -> Channel:
        channel = Channel(self.world.ids.next(), kind, name, self.id, topic=topic)
        channel.position = sum(1 for c in self.channels if not c.is_thread)
        channel.parent_id = category.id if category is not None else None
        self.world.register_channel(channel)
        if emit:
            self._emit_channel("CHANNEL_CREATE", channel)
        return channel

    def _emit_channel(self, event: str, channel: Channel) -> None:
        self.world.emit(event, GUILDS, lambda: payloads.channel(channel))
