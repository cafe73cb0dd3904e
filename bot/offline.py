"""Run the real bot in-process against the local sandbox: for the demo, e2e tests and benchmarks.

This is the same composition root as `bounceback run`; only the address
discord.py talks to differs, redirected by the sandbox's one context manager.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bot.app import App, build_app
from bot.clock import Clock
from bot.config import Config
from discord_sandbox import Sandbox, point_discord_at

READY_TIMEOUT = 10.0


@contextlib.asynccontextmanager
async def offline_bot(
    sandbox: Sandbox,
    config: Config,
    *,
    clock: Clock | None = None,
    guild_ready_timeout: float = 0.05,
    seed: int | None = None,
    **bot_options: Any,
) -> AsyncIterator[App]:
    """Start Bounceback connected to `sandbox`, yield it once READY, then stop it cleanly."""
    with point_discord_at(sandbox):
        app = await build_app(
            config,
            clock=clock,
            guild_ready_timeout=guild_ready_timeout,
            seed=seed,
            **bot_options,
        )
        runner: asyncio.Task[None] | None = None
        try:
            await app.bot.login(sandbox.token)
            runner = asyncio.create_task(app.bot.connect(reconnect=True))
            await _until_ready(app, runner)
            yield app
        finally:
            await app.close()
            if runner is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(runner, READY_TIMEOUT)


async def _until_ready(app: App, runner: asyncio.Task[None]) -> None:
    """Wait for READY and the first catch-up, surfacing a connection failure at once."""
    ready = asyncio.create_task(app.bot.caught_up.wait())
    done, _ = await asyncio.wait(
        {ready, runner}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
    )
    if ready in done:
        return
    ready.cancel()
    if runner in done:
        runner.result()
    raise TimeoutError("the bot did not become ready in the sandbox")
