"""Point an unmodified discord.py at a sandbox, and put it back afterwards.

This module is the ONLY place the project redirects discord.py; nothing in ``bot/`` but the demo and ``bot/offline.py``
knows the sandbox exists. It swaps three class attributes: the REST base, the first gateway
URL (a ``yarl.URL`` in discord.py 2.7; RESUMEs follow READY's ``resume_gateway_url``) and the
CDN base used for avatar URLs.

``point_discord_at`` takes a running ``Sandbox``; ``point_discord_at_url`` takes the sandbox's
addresses instead, for a bot running in another process (the benchmarks measure the bot's
memory alone, so the sandbox lives in the parent). This module deliberately imports nothing
from the sandbox server, so such a process can load it without the server's weight.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import discord.asset
import discord.gateway
import discord.http
import yarl

from discord_sandbox.errors import SandboxError

if TYPE_CHECKING:
    from discord_sandbox.sandbox import Sandbox


@contextmanager
def point_discord_at(sandbox: Sandbox) -> Iterator[Sandbox]:
    """Redirect discord.py's REST, gateway and CDN URLs to ``sandbox`` while inside the block."""
    if not sandbox.running:
        raise SandboxError("start the sandbox before pointing discord.py at it")
    with point_discord_at_url(sandbox.base_url, sandbox.api_base, sandbox.gateway_url):
        yield sandbox


@contextmanager
def point_discord_at_url(base_url: str, api_base: str, gateway_url: str) -> Iterator[None]:
    """Redirect discord.py to a sandbox known only by its addresses while inside the block.

    Pass what the parent's ``Sandbox`` reports as ``base_url``, ``api_base`` and ``gateway_url``.
    """
    for name, url, scheme in (
        ("base_url", base_url, "http"),
        ("api_base", api_base, "http"),
        ("gateway_url", gateway_url, "ws"),
    ):
        parsed = yarl.URL(url)
        if parsed.scheme not in (scheme, scheme + "s") or not parsed.host:
            raise SandboxError(f"{name} must be an absolute {scheme}:// URL, got {url!r}")
    route, websocket, asset = (
        discord.http.Route,
        discord.gateway.DiscordWebSocket,
        discord.asset.Asset,
    )
    saved = (route.BASE, websocket.DEFAULT_GATEWAY, asset.BASE)
    route.BASE = api_base
    websocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    asset.BASE = base_url
    try:
        yield
    finally:
        route.BASE, websocket.DEFAULT_GATEWAY, asset.BASE = saved
