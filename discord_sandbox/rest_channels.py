"""Channel and thread routes: fetch, edit (incl. archiving), delete, threads, thread members."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from discord_sandbox import events, payloads, payloads_message
from discord_sandbox.context import Context
from discord_sandbox.errors import ApiError, invalid_form, missing_permissions, unknown_member
from discord_sandbox.ids import utcnow
from discord_sandbox.messages import new_message, validate
from discord_sandbox.model import Channel, ChannelType
from discord_sandbox.permissions import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    MANAGE_CHANNELS,
    MANAGE_THREADS,
    SEND_IN_THREADS,
    SEND_MESSAGES,
)
from discord_sandbox.web import body, ctx, files, json_response, no_content, snowflake

routes = web.RouteTableDef()
THREAD_MEMBER = "/channels/{channel_id}/thread-members/{user_id}"
_THREAD_FIELDS = (
    "name",
    "archived",
    "locked",
    "auto_archive_duration",
    "invitable",
    "rate_limit_per_user",
)


@routes.get("/channels/{channel_id}")
async def get_channel(request: web.Request) -> web.Response:
    """Serve a channel or thread the bot can see."""
    context = ctx(request)
    channel = context.world.channel(snowflake(request, "channel_id"))
    context.require(channel)
    return json_response(payloads.channel(channel))


@routes.patch("/channels/{channel_id}")
async def edit_channel(request: web.Request) -> web.Response:
    """Edit a channel (MANAGE_CHANNELS) or thread (owner, or MANAGE_THREADS)."""
    context = ctx(request)
    channel = context.world.channel(snowflake(request, "channel_id"))
    data = body(request)
    if channel.is_thread:
        _edit_thread(context, channel, data)
    else:
        context.require(channel, MANAGE_CHANNELS)
        for key in ("name", "topic", "nsfw", "rate_limit_per_user", "position"):
            if key in data:
                setattr(channel, key, data[key])
    events.channel_updated(context.world, channel)
    return json_response(payloads.channel(channel))


def _edit_thread(context: Context, thread: Channel, data: dict[str, Any]) -> None:
    context.require(thread)
    manager = bool(context.bot_permissions(thread) & MANAGE_THREADS)
    is_owner = thread.owner_id == context.world.bot_user.id
    if "locked" in data and not manager:
        raise missing_permissions()
    if not (manager or is_owner):
        raise missing_permissions()
    if thread.locked and not manager:
        raise missing_permissions()
    for key in _THREAD_FIELDS:
        if key in data and data[key] is not None:
            setattr(thread, key, data[key])
    if "applied_tags" in data:
        thread.applied_tags = [int(t) for t in data["applied_tags"] or []]
    if "archived" in data:
        thread.archive_timestamp = utcnow()


@routes.delete("/channels/{channel_id}")
async def delete_channel(request: web.Request) -> web.Response:
    """Delete a channel (MANAGE_CHANNELS) or thread (MANAGE_THREADS)."""
    context = ctx(request)
    channel = context.world.channel(snowflake(request, "channel_id"))
    context.require(channel, MANAGE_THREADS if channel.is_thread else MANAGE_CHANNELS)
    channel.deleted = True
    events.channel_deleted(context.world, channel)
    return json_response(payloads.channel(channel))


@routes.post("/channels/{channel_id}/messages/{message_id}/threads")
async def thread_from_message(request: web.Request) -> web.Response:
    """Start a public thread on a message; the thread takes the message's id."""
    context = ctx(request)
    world = context.world
    parent = world.channel(snowflake(request, "channel_id"))
    message = world.message(parent, snowflake(request, "message_id"))
    context.require(parent, CREATE_PUBLIC_THREADS)
    if parent.type != ChannelType.TEXT:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    if message.thread_id is not None:
        raise ApiError(400, 160004, "A thread has already been created for this message")
    thread = _new_thread(context, parent, body(request), ChannelType.PUBLIC_THREAD, message.id)
    message.thread_id = thread.id
    events.channel_created(world, thread)
    events.thread_members_changed(world, thread, world.bot_user.id, added=True)
    return json_response(payloads.channel(thread) | _me(context, thread))


@routes.post("/channels/{channel_id}/threads")
async def create_thread(request: web.Request) -> web.Response:
    """Start a thread without a message, or a forum post (thread plus starter message)."""
    context = ctx(request)
    world = context.world
    parent = world.channel(snowflake(request, "channel_id"))
    data = body(request)
    if parent.type == ChannelType.FORUM:
        return _forum_post(context, parent, data, request)
    if parent.type != ChannelType.TEXT:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    kind = ChannelType(int(data.get("type") or ChannelType.PRIVATE_THREAD))
    needed = CREATE_PUBLIC_THREADS if kind == ChannelType.PUBLIC_THREAD else CREATE_PRIVATE_THREADS
    context.require(parent, needed)
    thread = _new_thread(context, parent, data, kind, world.ids.next())
    thread.invitable = bool(data.get("invitable", True))
    events.channel_created(world, thread)
    events.thread_members_changed(world, thread, world.bot_user.id, added=True)
    return json_response(payloads.channel(thread) | _me(context, thread), 201)


def _forum_post(
    context: Context, forum: Channel, data: dict[str, Any], request: web.Request
) -> web.Response:
    world = context.world
    context.require(forum, SEND_MESSAGES)
    starter, uploads = data.get("message"), files(request)
    if not isinstance(starter, dict):
        raise invalid_form("message", "BASE_TYPE_REQUIRED", "This field is required")
    validate(starter, uploads, creating=True)
    thread = _new_thread(context, forum, data, ChannelType.PUBLIC_THREAD, world.ids.next())
    thread.applied_tags = [int(t) for t in data.get("applied_tags") or []]
    message = new_message(world, thread.id, thread.guild_id, world.bot_user, starter, uploads)
    message.id = thread.id
    world.store_message(thread, message)
    events.channel_created(world, thread)
    events.thread_members_changed(world, thread, world.bot_user.id, added=True)
    events.message_created(world, message)
    response = payloads.channel(thread) | _me(context, thread)
    response["message"] = payloads_message.message(world, message)
    return json_response(response, 201)


def _new_thread(
    context: Context, parent: Channel, data: dict[str, Any], kind: ChannelType, thread_id: int
) -> Channel:
    name = str(data.get("name") or "")
    if not 1 <= len(name) <= 100:
        raise invalid_form("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    world = context.world
    thread = Channel(thread_id, kind, name, parent.guild_id, parent_id=parent.id)
    thread.owner_id = world.bot_user.id
    thread.auto_archive_duration = int(data.get("auto_archive_duration") or 1440)
    thread.rate_limit_per_user = int(data.get("rate_limit_per_user") or 0)
    thread.thread_members[world.bot_user.id] = utcnow()
    world.register_channel(thread)
    return thread


def _me(context: Context, thread: Channel) -> dict[str, Any]:
    bot_id = context.world.bot_user.id
    return (
        {"member": payloads.thread_member(thread, bot_id)}
        if bot_id in thread.thread_members
        else {}
    )


def _thread_and_user(request: web.Request) -> tuple[Context, Channel, int]:
    context = ctx(request)
    thread = context.world.channel(snowflake(request, "channel_id"))
    if not thread.is_thread:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    context.require(thread)
    raw = request.match_info["user_id"]
    user_id = context.world.bot_user.id if raw == "@me" else snowflake(request, "user_id")
    guild = context.world.guilds[thread.guild_id or 0]
    if user_id not in guild.members:
        raise unknown_member()
    return context, thread, user_id


@routes.put(THREAD_MEMBER)
async def add_thread_member(request: web.Request) -> web.Response:
    """Add a member (or ``@me``) to a thread that is not archived."""
    context, thread, user_id = _thread_and_user(request)
    if thread.archived:
        raise ApiError(400, 50083, "Thread is archived")
    if user_id != context.world.bot_user.id:
        context.require(thread, SEND_IN_THREADS)
    if user_id not in thread.thread_members:
        thread.thread_members[user_id] = utcnow()
        context.world.changes.notify()
        events.thread_members_changed(context.world, thread, user_id, added=True)
    return no_content()


@routes.delete(THREAD_MEMBER)
async def remove_thread_member(request: web.Request) -> web.Response:
    """Remove a member (others need MANAGE_THREADS)."""
    context, thread, user_id = _thread_and_user(request)
    if user_id != context.world.bot_user.id:
        context.require(thread, MANAGE_THREADS)
    if thread.thread_members.pop(user_id, None) is not None:
        context.world.changes.notify()
        events.thread_members_changed(context.world, thread, user_id, added=False)
    return no_content()


@routes.get(THREAD_MEMBER)
async def get_thread_member(request: web.Request) -> web.Response:
    """One thread member (10007 when not in the thread)."""
    _, thread, user_id = _thread_and_user(request)
    if user_id not in thread.thread_members:
        raise unknown_member()
    return json_response(payloads.thread_member(thread, user_id))


@routes.get("/channels/{channel_id}/thread-members")
async def list_thread_members(request: web.Request) -> web.Response:
    """Every member of a thread."""
    context = ctx(request)
    thread = context.world.channel(snowflake(request, "channel_id"))
    context.require(thread)
    return json_response([payloads.thread_member(thread, u) for u in thread.thread_members])
