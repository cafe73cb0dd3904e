"""The sandbox's in-memory Discord objects: users, roles, members, channels, messages.

These are plain mutable records owned by the ``World``; JSON shapes live in ``payloads`` so the
model stays independent of the wire format. Classes use slots because benchmarks create tens of
thousands of members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class ChannelType(IntEnum):
    """Discord channel types the sandbox models."""

    TEXT = 0
    DM = 1
    CATEGORY = 4
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    FORUM = 15


THREAD_TYPES = frozenset({ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD})


@dataclass(slots=True, eq=False)
class User:
    """A Discord user (humans and the bot alike)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"


@dataclass(slots=True, eq=False)
class Role:
    """A guild role; the @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None


@dataclass(slots=True, eq=False)
class Member:
    """A user's membership in one guild."""

    user: User
    guild_id: int
    role_ids: list[int]
    joined_at: dt.datetime
    nick: str | None = None

    @property
    def id(self) -> int:
        """The member's user id (members have no id of their own)."""
        return self.user.id


@dataclass(slots=True)
class Overwrite:
    """A channel permission overwrite; ``type`` 0 targets a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


@dataclass(slots=True, eq=False)
class Attachment:
    """A file the bot uploaded, with its original name and bytes."""

    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes, as Discord reports it."""
        return len(self.data)


@dataclass(slots=True, eq=False)
class Message:
    """A message in a channel, as stored after the bot sent or edited it.

    This is a live object: later edits by the bot update it in place, and ``history`` keeps
    the JSON body of every edit in order.
    """

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    allowed_mentions: dict[str, Any] | None = None
    flags: int = 0
    type: int = 0
    tts: bool = False
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    edited_timestamp: dt.datetime | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    nonce: str | int | None = None
    mention_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    reactions: dict[str, set[int]] = field(default_factory=dict)
    thread_id: int | None = None
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        """True when only the invoking member can see it (flag 64)."""
        return bool(self.flags & 64)

    @property
    def loading(self) -> bool:
        """True while a deferred response still shows "thinking" (flag 128)."""
        return bool(self.flags & 128)


@dataclass(slots=True, eq=False)
class Channel:
    """A guild channel, thread, forum, category or DM channel."""

    id: int
    type: ChannelType
    name: str
    guild_id: int | None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    last_message_id: int | None = None
    messages: list[Message] = field(default_factory=list)
    deleted: bool = False
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    archive_timestamp: dt.datetime | None = None
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    thread_members: dict[int, dt.datetime] = field(default_factory=dict)
    total_message_sent: int = 0
    applied_tags: list[int] = field(default_factory=list)
    # forums
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    # DMs
    recipient: User | None = None

    @property
    def is_thread(self) -> bool:
        """True for public and private threads."""
        return self.type in THREAD_TYPES

    @property
    def live_messages(self) -> list[Message]:
        """Messages not deleted, oldest first."""
        return [m for m in self.messages if not m.deleted]
