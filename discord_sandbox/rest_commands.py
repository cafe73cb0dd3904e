"""Application command routes, global and per guild (bulk overwrite, list, CRUD)."""

from __future__ import annotations

from aiohttp import web

from discord_sandbox.errors import missing_access
from discord_sandbox.web import body, body_list, ctx, json_response, no_content, snowflake

routes = web.RouteTableDef()
GLOBAL = "/applications/{application_id}/commands"
GUILD = "/applications/{application_id}/guilds/{guild_id}/commands"


def _scope(request: web.Request) -> int | None:
    """Check the application id and return the guild id (None for global commands)."""
    context = ctx(request)
    if snowflake(request, "application_id") != context.world.application_id:
        raise missing_access()
    if "guild_id" not in request.match_info:
        return None
    guild_id = snowflake(request, "guild_id")
    context.world.guild(guild_id)
    return guild_id


@routes.get(GLOBAL)
@routes.get(GUILD)
async def list_commands(request: web.Request) -> web.Response:
    """Serve the registered commands of one scope (global, or one guild)."""
    return json_response(ctx(request).commands.in_scope(_scope(request)))


@routes.put(GLOBAL)
@routes.put(GUILD)
async def bulk_overwrite(request: web.Request) -> web.Response:
    """Replace every command of a scope (what ``tree.sync()`` does)."""
    scope = _scope(request)
    commands = body_list(request)
    return json_response(ctx(request).commands.bulk_overwrite(scope, commands))


@routes.post(GLOBAL)
@routes.post(GUILD)
async def create_command(request: web.Request) -> web.Response:
    """Create or replace one command (201 like Discord)."""
    command = ctx(request).commands.upsert(_scope(request), body(request))
    return json_response(command, 201)


@routes.get(GLOBAL + "/{command_id}")
@routes.get(GUILD + "/{command_id}")
async def get_command(request: web.Request) -> web.Response:
    """One command."""
    scope = _scope(request)
    return json_response(ctx(request).commands.get(scope, snowflake(request, "command_id")))


@routes.patch(GLOBAL + "/{command_id}")
@routes.patch(GUILD + "/{command_id}")
async def edit_command(request: web.Request) -> web.Response:
    """Edit one command."""
    scope = _scope(request)
    command_id = snowflake(request, "command_id")
    return json_response(ctx(request).commands.edit(scope, command_id, body(request)))


@routes.delete(GLOBAL + "/{command_id}")
@routes.delete(GUILD + "/{command_id}")
async def delete_command(request: web.Request) -> web.Response:
    """Delete one command."""
    scope = _scope(request)
    ctx(request).commands.delete(scope, snowflake(request, "command_id"))
    return no_content()
