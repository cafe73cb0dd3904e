"""`bounceback demo`: the real bot, offline, walking through every slash command.

It starts the local sandbox, connects the same bot `bounceback run` builds
(with a temporary database and a copy of the content), plays a short script
as a few members and a moderator, and prints the conversation.
"""

from __future__ import annotations

import logging
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import discord

from bot.clock import FakeClock
from bot.config import Config, ContentConfig, DatabaseConfig, ModerationConfig
from bot.demo.script import Cast, play
from bot.demo.stage import Stage
from bot.offline import offline_bot
from discord_sandbox import Sandbox

DEMO_START = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
DEMO_SEED = 23  # the same walkthrough every time, so README and tests can quote it


def _cast(sb: Sandbox, locale: str | None) -> tuple[Cast, int, int]:
    """Everyone on `locale` when given (the server too); else English with one Spanish member."""
    guild = sb.create_guild("Job Search Circle", locale=locale or "en-US")
    mods = guild.create_role("Moderators")
    general = guild.create_text_channel("general")
    modlog = guild.create_text_channel("mod-log")
    cast = Cast(
        general=general,
        modlog=modlog,
        wins=guild.create_text_channel("wins"),
        goals=guild.create_text_channel("goals"),
        alice=guild.add_member("Alice", locale=locale or "en-US"),
        bruno=guild.add_member("Bruno", locale=locale or "es-ES"),
        mo=guild.add_member("Mo", roles=[mods], locale=locale or "en-US"),
        owner=guild.add_member(
            "Olivia",
            permissions=discord.Permissions(manage_guild=True).value,
            locale=locale or "en-US",
        ),
    )
    return cast, mods.id, modlog.id


async def run_demo(
    config: Config, out: Callable[[str], None] = print, locale: str | None = None
) -> None:
    """Play the walkthrough against a throwaway copy of the content and database.

    With `locale`, every member and the server speak it, and the script presses
    the buttons by their labels in that language.
    """
    logging.getLogger("discord").setLevel(logging.WARNING)
    random.seed(DEMO_SEED)  # wording variants drawn without a stream of their own
    with tempfile.TemporaryDirectory(prefix="bounceback-demo-") as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(config.content_dir, content)
        async with Sandbox() as sb:
            cast, mod_role, modlog = _cast(sb, locale)
            demo_config = replace(
                config,
                database=DatabaseConfig(path=str(Path(tmp) / "demo.db")),
                content=ContentConfig(directory=str(content), watch=False),
                moderation=ModerationConfig(role_id=mod_role, log_channel_id=modlog),
                base_dir=tmp,
            )
            clock = FakeClock(DEMO_START)
            async with offline_bot(sb, demo_config, clock=clock, seed=DEMO_SEED) as app:
                stage = Stage(sb, app, cast.general, clock, out, locale)
                await play(stage, cast)
    out("\nThat was the real bot, offline. Run it for real with `bounceback run` (see README).")
