"""Login-time routes: the bot user, its application, gateway discovery, user lookups.

discord.py's ``login()`` calls ``GET /users/@me`` then ``GET /oauth2/applications/@me`` and
takes the application id from the latter, so ``tree.sync()`` works before the gateway connects.
"""

from __future__ import annotations

from aiohttp import web

from discord_sandbox import payloads
from discord_sandbox.errors import ApiError
from discord_sandbox.web import ctx, json_response, snowflake

routes = web.RouteTableDef()


@routes.get("/users/@me")
async def current_user(request: web.Request) -> web.Response:
    """Serve the bot's own user (with the private fields Discord adds for @me)."""
    world = ctx(request).world
    private = {"verified": True, "mfa_enabled": False, "flags": 0, "email": None, "locale": "en-US"}
    return json_response(payloads.user(world.bot_user) | private)


@routes.get("/users/{user_id}")
async def get_user(request: web.Request) -> web.Response:
    """Any known user (10013 Unknown User otherwise)."""
    user = ctx(request).world.users.get(snowflake(request, "user_id"))
    if user is None:
        raise ApiError(404, 10013, "Unknown User")
    return json_response(payloads.user(user))


@routes.get("/oauth2/applications/@me")
@routes.get("/applications/@me")
async def current_application(request: web.Request) -> web.Response:
    """Serve the bot's application; its id is what discord.py uses for command routes."""
    world = ctx(request).world
    return json_response(
        {
            "id": str(world.application_id),
            "name": world.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": payloads.user(world.bot_user),
            "owner": payloads.user(world.developer),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(world.guilds),
            "integration_types_config": {"0": {}},
        }
    )


@routes.get("/gateway")
async def gateway_url(request: web.Request) -> web.Response:
    """Where to connect the websocket."""
    return json_response({"url": ctx(request).gateway.url})


@routes.get("/gateway/bot")
async def gateway_bot(request: web.Request) -> web.Response:
    """Gateway URL plus the recommended shard count and the session start limits."""
    gateway = ctx(request).gateway
    starts = gateway.starts
    return json_response(
        {
            "url": gateway.url,
            "shards": starts.recommended_shards,
            "session_start_limit": starts.limit(),
        }
    )
