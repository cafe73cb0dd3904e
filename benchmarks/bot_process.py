"""Run one bot under test in its own process, connected to a sandbox in another process.

The benchmark runs the sandbox in the parent and the bot here, so ``/proc/<pid>/status`` of
this process holds the bot's memory and nothing else. Protocol with the parent: print
``READY <time.monotonic()>`` once the bot is ready (CLOCK_MONOTONIC is shared by all processes
on Linux, so the parent can subtract its own start time), then serve until standard input
closes or SIGTERM/SIGINT arrives, and shut down cleanly.

``--runtime shipped`` (the default) serves on uvloop with discord.py's ``speed`` extra, as
``bounceback run`` does; ``--runtime stock`` is discord.py as ``pip install discord.py``
leaves it: asyncio's own loop, the standard json module and zlib gateway compression (the
speed-ups are made unimportable before discord is imported).

Usage: ``python benchmarks/bot_process.py --kind baseline|bounceback --base-url URL
--api-base URL --gateway-url URL --token TOKEN [--ready-timeout 0.1] [--runtime stock]``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import contextlib
import importlib
import logging
import os
import shutil
import signal
import tempfile
import time
import types
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import discord

REPO = Path(__file__).resolve().parents[1]
KINDS = ("baseline", "bounceback")
RUNTIMES = ("shipped", "stock")
# What discord.py's `speed` extra adds; discord.py and aiohttp use each only if importable.
SPEEDUPS = ("orjson", "zstandard", "aiodns", "brotli", "Brotli")
READY_TIMEOUT = 120.0
BENCH_DAILY_LIMIT = 1_000_000


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=KINDS, required=True)
    parser.add_argument("--base-url", required=True, help="the sandbox's base (CDN) URL")
    parser.add_argument("--api-base", required=True, help="the sandbox's REST base")
    parser.add_argument("--gateway-url", required=True, help="the sandbox's gateway websocket")
    parser.add_argument("--token", required=True)
    parser.add_argument("--ready-timeout", type=float, default=0.1, help="guild_ready_timeout")
    parser.add_argument("--runtime", choices=RUNTIMES, default="shipped")
    return parser.parse_args(argv)


def _stock() -> None:
    """Make the speed-ups unimportable, as if only ``pip install discord.py`` had run."""
    if "discord" in sys.modules:
        raise RuntimeError("discord was imported before the runtime was chosen")
    for name in SPEEDUPS:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it raises ImportError


def load_redirect() -> Callable[[str, str, str], AbstractContextManager[None]]:
    """Import ``point_discord_at_url`` without ``discord_sandbox/__init__.py``.

    The package's ``__init__`` imports the whole sandbox server (aiohttp.web and ~25 modules,
    about 4.5 MiB), which would be counted as the bot's memory and start-up time. A bare
    package object lets Python import just ``redirect`` and its one light dependency.
    """
    if "discord_sandbox" not in sys.modules:
        package = types.ModuleType("discord_sandbox")
        package.__path__ = [str(REPO / "discord_sandbox")]
        sys.modules["discord_sandbox"] = package
    module = importlib.import_module("discord_sandbox.redirect")
    redirect: Callable[[str, str, str], AbstractContextManager[None]]
    redirect = module.point_discord_at_url
    return redirect


@contextlib.asynccontextmanager
async def _baseline(ready_timeout: float) -> AsyncIterator[discord.Client]:
    from benchmarks.baseline_bot import BaselineBot

    client = BaselineBot(guild_ready_timeout=ready_timeout)
    try:
        yield client
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def _own_database() -> AsyncIterator[str | None]:
    """Create a fresh PostgreSQL database when the parent asks for one (backends.py)."""
    server = os.environ.get("BOUNCEBACK_BENCH_POSTGRES_URL")
    if not server:
        yield None  # SQLite, the default
        return
    from urllib.parse import urlsplit

    import asyncpg

    name = f"bounceback_bench_{os.getpid()}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextlib.asynccontextmanager
async def _bounceback(ready_timeout: float) -> AsyncIterator[discord.Client]:
    """Bounceback as `bounceback run` builds it, on a temporary database and content."""
    from bot.app import build_app
    from bot.config import Config, ContentConfig, DatabaseConfig, RejectionsConfig

    with tempfile.TemporaryDirectory(prefix="bounceback-bench-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        async with _own_database() as url:
            config = replace(
                Config(),
                database=DatabaseConfig(url=url, path=str(root / "data" / "bounceback.db")),
                content=ContentConfig(directory=str(root / "content")),
                base_dir=str(root),
                # /rejection log refuses past the daily limit (20 by default); the benchmark
                # logs thousands as a few members, and must measure logging, not refusing.
                rejections=RejectionsConfig(daily_limit=BENCH_DAILY_LIMIT),
            )
            app = await build_app(config, auto_sync=True, guild_ready_timeout=ready_timeout)
            try:
                yield app.bot
            finally:
                await app.close()


def _stop_event() -> asyncio.Event:
    """Return an event set by SIGTERM/SIGINT or by standard input reaching end of file."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    fd = sys.stdin.fileno()

    def on_input() -> None:
        if not os.read(fd, 4096):
            loop.remove_reader(fd)
            stop.set()

    # A pipe or terminal can be watched; /dev/null or a file cannot (epoll refuses them),
    # and then only a signal stops the bot.
    with contextlib.suppress(PermissionError):
        loop.add_reader(fd, on_input)
    return stop


async def _until_ready(client: discord.Client, runner: asyncio.Task[None]) -> None:
    """Wait for READY, surfacing a connection failure instead of waiting out the timeout."""
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait(
        {ready, runner}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
    )
    if ready in done:
        return
    ready.cancel()
    if runner in done:
        runner.result()
        raise RuntimeError("the gateway connection ended before READY")
    raise TimeoutError(f"the bot was not ready after {READY_TIMEOUT:g}s")


async def serve(args: argparse.Namespace) -> None:
    """Start the chosen bot, announce READY, serve until told to stop."""
    stop = _stop_event()
    start = _baseline if args.kind == "baseline" else _bounceback
    with load_redirect()(args.base_url, args.api_base, args.gateway_url):
        async with start(args.ready_timeout) as client:
            await client.login(args.token)
            runner = asyncio.create_task(client.connect(reconnect=False))
            await _until_ready(client, runner)
            print(f"READY {time.monotonic():.6f}", flush=True)
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({stopped, runner}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await runner


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit status 0 after a clean stop."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    # Both bots log the same way (warnings only, to stderr, which the parent keeps in a file).
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.runtime == "stock":
        _stock()
        asyncio.run(serve(args))
    else:
        from bot import runtime

        runtime.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
