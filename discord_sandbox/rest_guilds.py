"""Guild reads and the attachment CDN: the lookups discord.py makes on demand."""

from __future__ import annotations

from aiohttp import web

from discord_sandbox import payloads
from discord_sandbox.errors import unknown_member
from discord_sandbox.web import ctx, json_response, snowflake

routes = web.RouteTableDef()
cdn_routes = web.RouteTableDef()


@routes.get("/guilds/{guild_id}")
async def get_guild(request: web.Request) -> web.Response:
    """Serve a guild object (without the gateway-only fields)."""
    world = ctx(request).world
    guild = world.guild(snowflake(request, "guild_id"))
    data = payloads.guild_create(world, guild)
    for key in (
        "channels",
        "threads",
        "members",
        "presences",
        "voice_states",
        "joined_at",
        "large",
        "member_count",
        "lazy",
        "unavailable",
    ):
        data.pop(key, None)
    data["approximate_member_count"] = guild.member_count
    return json_response(data)


@routes.get("/guilds/{guild_id}/channels")
async def guild_channels(request: web.Request) -> web.Response:
    """Every non-thread channel of a guild."""
    guild = ctx(request).world.guild(snowflake(request, "guild_id"))
    return json_response([payloads.channel(c) for c in guild.channels if not c.is_thread])


@routes.get("/guilds/{guild_id}/threads/active")
async def active_threads(request: web.Request) -> web.Response:
    """Active (unarchived) threads and the bot's thread memberships."""
    world = ctx(request).world
    guild = world.guild(snowflake(request, "guild_id"))
    threads = [c for c in guild.channels if c.is_thread and not c.archived]
    bot_id = world.bot_user.id
    members = [payloads.thread_member(t, bot_id) for t in threads if bot_id in t.thread_members]
    return json_response({"threads": [payloads.channel(t) for t in threads], "members": members})


@routes.get("/guilds/{guild_id}/roles")
async def guild_roles(request: web.Request) -> web.Response:
    """Every role of a guild."""
    guild = ctx(request).world.guild(snowflake(request, "guild_id"))
    return json_response([payloads.role(r) for r in guild.roles.values()])


@routes.get("/guilds/{guild_id}/members/{user_id}")
async def guild_member(request: web.Request) -> web.Response:
    """One member (10007 Unknown Member when not in the guild)."""
    guild = ctx(request).world.guild(snowflake(request, "guild_id"))
    member = guild.members.get(snowflake(request, "user_id"))
    if member is None:
        raise unknown_member()
    return json_response(payloads.member(member))


@cdn_routes.get("/attachments/{channel_id}/{attachment_id}/{filename}")
async def attachment(request: web.Request) -> web.Response:
    """Serve an uploaded file's bytes, so ``Attachment.read()`` works in the bot."""
    world = ctx(request).world
    attachment_id = snowflake(request, "attachment_id")
    for message in world.channel(snowflake(request, "channel_id")).messages:
        for item in message.attachments:
            if item.id == attachment_id:
                kind = item.content_type or "application/octet-stream"
                return web.Response(body=item.data, headers={"Content-Type": kind})
    return web.Response(status=404, text="not found")
