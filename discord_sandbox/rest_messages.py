"""Channel message routes: send, read, edit, delete, react, typing, and opening DMs.

Permission faults behave like Discord: no VIEW_CHANNEL -> 403 50001, a missing send / attach /
react permission -> 403 50013, deleted channel -> 404 10003, deleted message -> 404 10008.
"""

from __future__ import annotations

from aiohttp import web

from discord_sandbox import events, payloads, payloads_message
from discord_sandbox.context import Context
from discord_sandbox.errors import ApiError, invalid_form, missing_permissions
from discord_sandbox.messages import UploadedFile, apply_edit, new_message, validate
from discord_sandbox.model import Channel, ChannelType
from discord_sandbox.nonces import check_nonce
from discord_sandbox.permissions import (
    ADD_REACTIONS,
    ATTACH_FILES,
    MANAGE_MESSAGES,
    MANAGE_THREADS,
    READ_HISTORY,
    SEND_IN_THREADS,
    SEND_MESSAGES,
)
from discord_sandbox.web import body, ctx, files, json_response, no_content, snowflake

routes = web.RouteTableDef()
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
REACTION = MESSAGE + "/reactions/{emoji}/{user}"


def check_can_send(context: Context, channel: Channel, uploads: list[UploadedFile]) -> None:
    """Raise what Discord raises when the bot may not post here."""
    if channel.type in (ChannelType.CATEGORY, ChannelType.FORUM):
        raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
    if channel.is_thread:
        context.require(channel, SEND_IN_THREADS)
        if channel.locked and not context.bot_permissions(channel) & MANAGE_THREADS:
            raise missing_permissions()
    else:
        context.require(channel, SEND_MESSAGES)
    if uploads:
        context.require(channel, ATTACH_FILES)


@routes.post("/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    """Send a message (JSON or multipart with files)."""
    context = ctx(request)
    world = context.world
    channel = world.channel(snowflake(request, "channel_id"))
    data, uploads = body(request), files(request)
    check_can_send(context, channel, uploads)
    validate(data, uploads, creating=True)
    nonce = check_nonce(data)
    if nonce is not None:
        earlier = world.nonces.find(channel.id, world.bot_user.id, nonce)
        if earlier is not None and earlier in world.messages:
            return json_response(payloads_message.message(world, world.messages[earlier]))
    message = new_message(world, channel.id, channel.guild_id, world.bot_user, data, uploads)
    reference = data.get("message_reference")
    if reference:
        replied = world.messages.get(int(reference.get("message_id") or 0))
        if replied is None and reference.get("fail_if_not_exists", True):
            raise invalid_form(
                "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
            )
        message.type = 19
    world.store_message(channel, message)
    if nonce is not None:
        world.nonces.remember(channel.id, world.bot_user.id, nonce, message.id)
    if channel.is_thread and channel.archived:
        channel.archived = False
        events.channel_updated(world, channel)
    events.message_created(world, message)
    return json_response(payloads_message.message(world, message))


@routes.get("/channels/{channel_id}/messages")
async def list_messages(request: web.Request) -> web.Response:
    """Message history, newest first (``limit``, ``before``, ``after``)."""
    context = ctx(request)
    channel = context.world.channel(snowflake(request, "channel_id"))
    context.require(channel, READ_HISTORY)
    limit = max(1, min(int(request.query.get("limit", "50")), 100))
    before = int(request.query.get("before", "0") or 0)
    after = int(request.query.get("after", "0") or 0)
    found = [
        m for m in reversed(channel.live_messages) if (not before or m.id < before) and m.id > after
    ]
    return json_response([payloads_message.message(context.world, m) for m in found[:limit]])


@routes.get(MESSAGE)
async def get_message(request: web.Request) -> web.Response:
    """One message."""
    context = ctx(request)
    channel = context.world.channel(snowflake(request, "channel_id"))
    context.require(channel, READ_HISTORY)
    message = context.world.message(channel, snowflake(request, "message_id"))
    return json_response(payloads_message.message(context.world, message))


@routes.patch(MESSAGE)
async def edit_message(request: web.Request) -> web.Response:
    """Edit one of the bot's messages."""
    context = ctx(request)
    world = context.world
    channel = world.channel(snowflake(request, "channel_id"))
    context.require(channel)
    message = world.message(channel, snowflake(request, "message_id"))
    if message.author.id != world.bot_user.id:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    data, uploads = body(request), files(request)
    validate(data, uploads, creating=False)
    apply_edit(world, message, data, uploads)
    events.message_updated(world, message)
    return json_response(payloads_message.message(world, message))


@routes.delete(MESSAGE)
async def delete_message(request: web.Request) -> web.Response:
    """Delete a message (own, or anyone's with MANAGE_MESSAGES)."""
    context = ctx(request)
    world = context.world
    channel = world.channel(snowflake(request, "channel_id"))
    message = world.message(channel, snowflake(request, "message_id"))
    if message.author.id != world.bot_user.id:
        context.require(channel, MANAGE_MESSAGES)
    message.deleted = True
    world.changes.notify()
    events.message_deleted(world, message)
    return no_content()


@routes.put(REACTION)
@routes.delete(REACTION)
async def react(request: web.Request) -> web.Response:
    """Add or remove a reaction (``@me``, or another user's with MANAGE_MESSAGES)."""
    context = ctx(request)
    world = context.world
    channel = world.channel(snowflake(request, "channel_id"))
    message = world.message(channel, snowflake(request, "message_id"))
    emoji = request.match_info["emoji"]
    adding = request.method == "PUT"
    target = request.match_info["user"]
    if adding and target != "@me":
        raise ApiError(405, 0, "405: Method Not Allowed")
    user_id = world.bot_user.id if target == "@me" else snowflake(request, "user")
    if adding:
        context.require(channel, READ_HISTORY, ADD_REACTIONS)
        message.reactions.setdefault(emoji, set()).add(user_id)
    else:
        context.require(channel, *(() if user_id == world.bot_user.id else (MANAGE_MESSAGES,)))
        message.reactions.get(emoji, set()).discard(user_id)
    world.changes.notify()
    events.reaction_changed(world, message, emoji, user_id, adding)
    return no_content()


@routes.post("/channels/{channel_id}/typing")
async def typing(request: web.Request) -> web.Response:
    """Typing indicator: nothing to store."""
    ctx(request).world.channel(snowflake(request, "channel_id"))
    return no_content()


@routes.post("/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    """Open (or return) the DM channel with a user."""
    world = ctx(request).world
    user = world.users.get(int(body(request).get("recipient_id") or 0))
    if user is None:
        raise invalid_form("recipient_id", "USER_UNKNOWN", "Unknown User")
    return json_response(payloads.channel(world.dm_channel(user)))
