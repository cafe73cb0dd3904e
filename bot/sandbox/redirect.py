"""Point an unmodified discord.py at a sandbox, and put it back afterwards.

This context manager is the ONLY place the project redirects discord.py; nothing else in
``bot/`` knows the sandbox exists. It swaps three class attributes: the REST base, the first
gateway URL (a ``yarl.URL`` in discord.py 2.7; RESUMEs follow READY's ``resume_gateway_url``)
and the CDN base used for avatar URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import discord.asset
import discord.gateway
import discord.http
import yarl

from bot.sandbox.errors import SandboxError

if TYPE_CHECKING:
    from bot.sandbox.sandbox import Sandbox


@contextmanager
def point_discord_at(sandbox: Sandbox) -> Iterator[Sandbox]:
    """Redirect discord.py's REST, gateway and CDN URLs to ``sandbox`` while inside the block."""
    if not sandbox.running:
        raise SandboxError("start the sandbox before pointing discord.py at it")
    route, websocket, asset = (
        discord.http.Route,
        discord.gateway.DiscordWebSocket,
        discord.asset.Asset,
    )
    saved = (route.BASE, websocket.DEFAULT_GATEWAY, asset.BASE)
    route.BASE = sandbox.api_base
    websocket.DEFAULT_GATEWAY = yarl.URL(sandbox.gateway_url)
    asset.BASE = sandbox.base_url
    try:
        yield sandbox
    finally:
        route.BASE, websocket.DEFAULT_GATEWAY, asset.BASE = saved
