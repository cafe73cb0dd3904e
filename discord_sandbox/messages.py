"""Message bodies: Discord's validation limits, attachments, mentions and edits.

Shared by channel messages, interaction responses and webhook follow-ups so a too-long
message fails the same way (400 50035) whichever route the bot used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from discord_sandbox.errors import empty_message, invalid_form
from discord_sandbox.ids import utcnow
from discord_sandbox.model import Attachment, Message, User
from discord_sandbox.world import World

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_EMBED_LIMITS = (("title", 256), ("description", 4096))
#: Flags a bot may set on a message: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, V2.
_SETTABLE_FLAGS = 4 | 64 | 4096 | 32768


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    index: int
    filename: str
    data: bytes
    content_type: str | None


def validate(body: dict[str, Any], files: Sequence[UploadedFile], *, creating: bool) -> None:
    """Raise Discord's errors for bodies Discord would reject."""
    content = body.get("content") or ""
    if len(content) > 2000:
        raise invalid_form("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise invalid_form("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for index, embed in enumerate(embeds):
        total += _validate_embed(index, embed)
    if total > 6000:
        raise invalid_form(
            "embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )
    if len(body.get("components") or []) > 40:
        raise invalid_form("components", "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
    has_anything = content or embeds or files or body.get("components") or body.get("sticker_ids")
    if creating and not has_anything and not body.get("poll"):
        raise empty_message()


def _validate_embed(index: int, embed: dict[str, Any]) -> int:
    size = 0
    for key, limit in _EMBED_LIMITS:
        text = embed.get(key) or ""
        size += len(text)
        if len(text) > limit:
            raise invalid_form(
                f"embeds.{index}.{key}",
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {limit} or fewer in length.",
            )
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise invalid_form(
            f"embeds.{index}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
        )
    for number, item in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            text = item.get(key) or ""
            size += len(text)
            if not text or len(text) > limit:
                raise invalid_form(
                    f"embeds.{index}.fields.{number}.{key}",
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {limit} in length.",
                )
    for key, inner, limit in (("footer", "text", 2048), ("author", "name", 256)):
        text = (embed.get(key) or {}).get(inner) or ""
        size += len(text)
        if len(text) > limit:
            raise invalid_form(
                f"embeds.{index}.{key}.{inner}",
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {limit} or fewer in length.",
            )
    return size


def new_message(
    world: World,
    channel_id: int,
    guild_id: int | None,
    author: User,
    body: dict[str, Any],
    files: Sequence[UploadedFile],
) -> Message:
    """Build (not store) a message from a create body."""
    message = Message(world.ids.next(), channel_id, guild_id, author)
    message.tts = bool(body.get("tts"))
    message.nonce = body.get("nonce")
    message.message_reference = body.get("message_reference")
    message.allowed_mentions = body.get("allowed_mentions")
    message.flags = int(body.get("flags") or 0) & _SETTABLE_FLAGS
    _apply_content(world, message, body, files)
    return message


def apply_edit(
    world: World, message: Message, body: dict[str, Any], files: Sequence[UploadedFile]
) -> None:
    """Apply an edit body in place and keep it in ``message.history``."""
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    if "flags" in body and body["flags"] is not None:
        # Ephemerality is fixed at creation; an edit cannot add or remove it.
        wanted = int(body["flags"]) & _SETTABLE_FLAGS & ~64
        message.flags = (message.flags & ~_SETTABLE_FLAGS) | wanted | (message.flags & 64)
    _apply_content(world, message, body, files)
    message.edited_timestamp = utcnow()
    message.history.append(body)
    world.changes.notify()


def _apply_content(
    world: World, message: Message, body: dict[str, Any], files: Sequence[UploadedFile]
) -> None:
    if "content" in body:
        message.content = body["content"] or ""
    if "embeds" in body:
        message.embeds = list(body["embeds"] or [])
    if "components" in body:
        message.components = list(body["components"] or [])
    if "attachments" in body or files:
        message.attachments = _attachments(world, message, body.get("attachments"), files)
    _mentions(world, message)


def _attachments(
    world: World,
    message: Message,
    wanted: list[dict[str, Any]] | None,
    files: Sequence[UploadedFile],
) -> list[Attachment]:
    by_index = {f.index: f for f in files}
    existing = {str(a.id): a for a in message.attachments}
    if wanted is None:
        wanted = [{"id": f.index, "filename": f.filename} for f in files]
    result: list[Attachment] = []
    for item in wanted:
        key = item.get("id")
        if str(key) in existing:
            result.append(existing[str(key)])
            continue
        upload = by_index.get(int(key)) if key is not None else None
        if upload is None:
            raise invalid_form("attachments", "ATTACHMENT_NOT_FOUND", f"Unknown attachment {key}")
        name = item.get("filename") or upload.filename
        result.append(
            Attachment(
                world.ids.next(), name, upload.data, upload.content_type, item.get("description")
            )
        )
    return result


def _mentions(world: World, message: Message) -> None:
    """Record who the message actually pings, honouring ``allowed_mentions`` as Discord does."""
    allowed = message.allowed_mentions
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
    allowed_users = {int(u) for u in (allowed or {}).get("users") or []}
    allowed_roles = {int(r) for r in (allowed or {}).get("roles") or []}
    content = message.content
    users = [int(u) for u in _USER_MENTION.findall(content)]
    roles = [int(r) for r in _ROLE_MENTION.findall(content)]
    message.mention_ids = [
        u for u in dict.fromkeys(users) if "users" in parse or u in allowed_users
    ]
    message.mention_role_ids = [
        r for r in dict.fromkeys(roles) if "roles" in parse or r in allowed_roles
    ]
    message.mention_everyone = "everyone" in parse and (
        "@everyone" in content or "@here" in content
    )
    if message.message_reference and (allowed is None or allowed.get("replied_user", False)):
        replied = world.messages.get(int(message.message_reference.get("message_id") or 0))
        if replied is not None and replied.author.id not in message.mention_ids:
            message.mention_ids.append(replied.author.id)
