"""What each CLI command does; `__main__` only parses arguments and picks one of these."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot import runtime
from bot.app import App, build_app
from bot.config import Config, load_config_checked
from bot.content.coverage import coverage
from bot.content.library import Library
from bot.content.loader import load_library
from bot.content.location import is_shipped, shipped_content
from bot.content.source import SourceErrors
from bot.content.support_loader import SUPPORT_FILE, load_support
from bot.content.support_schema import SupportContent
from bot.domain.locales import DISCORD_LOCALES
from bot.exts import registered_commands
from bot.invite import application_id_for, invite_url
from bot.logs import setup_logging
from bot.sharding import describe_shards, with_shards
from bot.storage.connect import redacted
from bot.storage.secret import SecretError

MISSING_SHOWN = 10  # a language missing more lists the first ones and a count
NO_TOKEN = """\
No bot token found. Bounceback reads it from the DISCORD_TOKEN environment variable.
Get one at https://discord.com/developers/applications -> your application -> Bot -> Reset Token,
then run:  DISCORD_TOKEN=... bounceback run   (README.md, "Running for real", has every step)
No token yet? Try the offline demo, which needs none:  bounceback demo"""  # noqa: S105 - help text naming the token, not one
BAD_TOKEN = """\
Discord rejected the token in DISCORD_TOKEN. It may have been reset or copied incompletely.
Reset it in the Developer Portal (Bot -> Reset Token) and set DISCORD_TOKEN again."""  # noqa: S105 - help text naming the token, not one
UNREACHABLE = "Could not reach Discord. Check this machine's internet connection and try again."
NO_APP_ID = """\
The invite link needs your application's id. Either pass it:
  bounceback invite --app-id APP_ID   (Developer Portal -> your application -> General Information)
or let Bounceback look it up from the bot token:
  DISCORD_TOKEN=... bounceback invite"""
SHIPPED_NOTE = " (the library shipped with Bounceback)"

log = logging.getLogger("bot.cli")


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def load_or_report(path: Path | None) -> Config | None:
    """Load settings, printing `file:line: reason` for each problem instead of raising."""
    try:
        config, warnings = load_config_checked(path)
    except SourceErrors as exc:
        for error in exc.errors:
            _err(str(error))
        return None
    for warning in warnings:
        _err(f"{warning} (warning)")
    return config


def run(
    path: Path | None,
    token: str,
    shards: str | int | None = None,
    shard_ids: tuple[int, ...] | None = None,
) -> int:
    """`bounceback run`: serve until SIGINT/SIGTERM."""
    if not token:
        _err(NO_TOKEN)
        return 2
    config = load_or_report(path)
    if config is None:
        return 1
    try:
        config = with_shards(config, shards, shard_ids)
    except ValueError as exc:
        _err(str(exc))
        return 1
    handler = setup_logging(config.logging.level, config.logging.format)
    try:
        return runtime.run(serve(config, token))
    finally:
        logging.getLogger().removeHandler(handler)


async def serve(config: Config, token: str) -> int:
    """Run the bot until it stops or a signal asks it to, then close everything in order."""
    app = await start_app(config)
    if app is None:
        return 1
    log.info("gateway: %s", describe_shards(config.discord.plan))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        return await _serve_until(app, token, stop)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
        await app.close()
        log.info("stopped cleanly")


async def start_app(config: Config, **options: Any) -> App | None:
    """Build the app, printing start-up problems (content, secret) instead of raising."""
    try:
        return await build_app(config, **options)
    except SourceErrors as exc:
        for error in exc.errors:
            _err(str(error))
        _err("The content has problems (above); fix them and start again.")
    except SecretError as exc:
        _err(str(exc))
    except OSError as exc:  # only the health endpoint binds a port while the app is built
        _err(f"Cannot serve health and metrics on {config.monitoring.listen}: {exc.strerror}")
    return None


async def _serve_until(app: App, token: str, stop: asyncio.Event) -> int:
    runner = asyncio.create_task(app.bot.start(token))
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if runner not in done:
        log.info("shutdown requested; closing")
        await app.bot.close()
        await asyncio.gather(runner, return_exceptions=True)
        return 0
    try:
        runner.result()
    except (discord.LoginFailure, aiohttp.ClientError, OSError) as exc:
        return _cannot_reach_discord(exc)
    return 0


def _cannot_reach_discord(exc: BaseException) -> int:
    """Print one line on why Discord could not be reached with the token; return the exit code."""
    _err(BAD_TOKEN if isinstance(exc, discord.LoginFailure) else f"{UNREACHABLE} ({exc})")
    return 1


def demo(path: Path | None, locale: str | None = None) -> int:
    """`bounceback demo [--locale CODE]`: the real bot against the local sandbox, narrated."""
    config = load_or_report(path)
    if config is None:
        return 1
    if locale is not None and locale not in DISCORD_LOCALES:
        _err(f"--locale {locale}: not a Discord locale code (such as es-ES, pt-BR, fr)")
        return 2
    if check_content(config.content_dir, promises=False) != 0:
        return 1
    from bot.demo import run_demo  # the sandbox is only imported when the demo runs

    asyncio.run(run_demo(config, locale=locale))
    return 0


def check(path: Path | None) -> int:
    """`bounceback check`: validate config and content and say what was loaded."""
    config = load_or_report(path)
    if config is None:
        return 1
    print(f"config: {path or 'built-in defaults'}")
    where = config.database_path if config.uses_sqlite else redacted(config.database_url)
    print(f"  database: {where}")
    print(
        f"  content: {config.content_dir}{SHIPPED_NOTE if is_shipped(config.content_dir) else ''}"
    )
    print(f"  default timezone: {config.schedule.timezone}")
    slot = config.schedule.celebration
    print(f"  celebrations: {slot.weekday} {slot.time}")
    print(f"  privacy: group figures need {config.privacy.min_group_size}+ members")
    print(f"  gateway: {describe_shards(config.discord.plan)}")
    print(f"  health and metrics: {config.monitoring.listen or 'off'}")
    return check_content(config.content_dir)


def validate_content(path: Path | None, folder: Path | None) -> int:
    """`bounceback content validate [PATH]`: the content check alone."""
    if folder is None:
        config = load_or_report(path)
        if config is None:
            return 1
        folder = config.content_dir
    return check_content(folder)


def copy_content(destination: Path) -> int:
    """`bounceback content copy PATH`: start an editable library from the shipped one."""
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        _err(f"{destination} already exists and is not empty; pick a new folder")
        return 1
    shutil.copytree(shipped_content(), destination, dirs_exist_ok=True)
    print(f"copied the shipped library to {destination}")
    print(f"to use it, set `content: {{directory: {destination.resolve()}}}` in config.yaml")
    return 0


def check_content(directory: Path, *, promises: bool = True) -> int:
    """Validate the whole content folder; print a summary or every problem with its line.

    With `promises`, a language declared complete must be (the demo only needs valid content).
    """
    if not directory.is_dir():
        _err(f"{directory}:1:1: content directory does not exist")
        return 1
    try:
        library = load_library(directory, registered_commands())
    except SourceErrors as exc:
        for error in exc.errors:
            _err(str(error))
        _err(f"content: {len(exc.errors)} problem(s) in {directory}")
        return 1
    print(
        f"content: {len(library.topics)} topics, {len(library.tips)} tips, "
        f"{len(library.translations)} languages besides English in {directory}"
    )
    today = datetime.now(UTC).date()
    status = check_support(directory, today)
    if status:
        return status
    languages = check_languages(library, load_support(directory, today)[0])
    return languages if promises else 0


def check_languages(library: Library, support: SupportContent) -> int:
    """Print each language's coverage; a language declared complete must be complete."""
    status = 0
    for found in coverage(library, support):
        print(f"  {found.line()} ({found.name})")
        if found.broken_promise:
            status = 1
            more = len(found.missing) - MISSING_SHOWN
            listed = ", ".join(found.missing[:MISSING_SHOWN]) + (f" and {more} more" * (more > 0))
            _err(f"{found.code}: locale.yaml says complete: true, but missing: {listed}")
    return status


def check_support(directory: Path, today: date) -> int:
    """Validate support.yaml: errors fail the check, stale crisis lines only warn."""
    try:
        support, warnings = load_support(directory, today)
    except SourceErrors as exc:
        for error in exc.errors:
            _err(str(error))
        _err(f"support: {len(exc.errors)} problem(s) in {directory / SUPPORT_FILE}")
        return 1
    for warning in warnings:
        _err(f"{warning} (warning)")
    lines = sum(len(region.lines) for region in support.regions.values())
    print(
        f"support: {len(support.grounding)} grounding exercises, {lines} crisis lines in "
        f"{len(support.regions)} regions, {len(warnings)} warning(s)"
    )
    return 0


async def sync(path: Path | None, token: str, guild_id: int | None) -> int:
    """`bounceback sync`: log in without the gateway and register the command tree."""
    if not token:
        _err(NO_TOKEN)
        return 2
    config = load_or_report(path)
    if config is None:
        return 1
    app = await start_app(config, auto_sync=False)
    if app is None:
        return 1
    try:
        await app.bot.login(token)
        await app.bot.sync_commands(guild_id, force=True)
    except discord.LoginFailure:
        _err(BAD_TOKEN)
        return 1
    except (aiohttp.ClientError, OSError) as exc:
        _err(f"{UNREACHABLE} ({exc})")
        return 1
    finally:
        await app.close()
    print(f"synced commands to {f'server {guild_id}' if guild_id else 'all servers'}")
    return 0


async def invite(token: str, app_id: int | None) -> int:
    """`bounceback invite`: the link that adds the bot to a server with the right permissions."""
    if app_id is None:
        if not token:
            _err(NO_APP_ID)
            return 2
        try:
            app_id = await application_id_for(token)
        except (discord.LoginFailure, aiohttp.ClientError, OSError) as exc:
            return _cannot_reach_discord(exc)
    print(invite_url(app_id))
    return 0
