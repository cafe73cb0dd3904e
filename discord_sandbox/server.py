"""Assemble the aiohttp application and run it on 127.0.0.1 at a free port."""

from __future__ import annotations

import socket

from aiohttp import web

from discord_sandbox import (
    rest_channels,
    rest_commands,
    rest_guilds,
    rest_identity,
    rest_interactions,
    rest_messages,
)
from discord_sandbox.context import CTX, Context
from discord_sandbox.web import API_PREFIX, GATEWAY_PATH, sandbox_middleware

_API_TABLES = (
    rest_identity.routes,
    rest_commands.routes,
    rest_interactions.routes,
    rest_messages.routes,
    rest_channels.routes,
    rest_guilds.routes,
)


def build_app(context: Context) -> web.Application:
    """Build the sandbox's aiohttp app: REST under ``/api/v10``, the gateway, the file CDN."""
    app = web.Application(middlewares=[sandbox_middleware], client_max_size=64 * 1024 * 1024)
    app[CTX] = context
    app.router.add_get(GATEWAY_PATH, context.gateway.handle)
    for table in _API_TABLES:
        for definition in table:
            if isinstance(definition, web.RouteDef):
                app.router.add_route(
                    definition.method, API_PREFIX + definition.path, definition.handler
                )
    app.router.add_routes(rest_guilds.cdn_routes)
    return app


class HttpServer:
    """Run an app on a loopback socket the OS picked, so parallel sandboxes never collide."""

    def __init__(self, app: web.Application, host: str = "127.0.0.1") -> None:
        self._app = app
        self._host = host
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> int:
        """Bind and serve; return the port."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, 0))
        self.port = int(sock.getsockname()[1])
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self.port

    async def stop(self) -> None:
        """Stop serving and close every connection."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
