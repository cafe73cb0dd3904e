"""The Discord client: minimal intents, extensions loaded explicitly, start-up and shutdown work.

It is built by the composition root (`bot/app.py`), which hands it a `Wire`: a function
that receives the freshly constructed client and returns everything built around it
(publisher, services, weekly jobs). The client calls it once, at the end of its own
constructor, so every object still gets its collaborators through its constructor.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord.ext import commands

from bot.clock import Clock
from bot.cluster import follow_cluster
from bot.config import Config
from bot.content.source import SourceError
from bot.exts import EXTENSIONS
from bot.monitoring.gateway import Monitor, MonitoredEvents, metered_tree
from bot.publishing import Publisher
from bot.runtime import return_freed_memory
from bot.scheduling import Scheduler, WeeklyJobs
from bot.services.container import Services
from bot.sharding import IdentifyPacer, ShardedStart
from bot.ui.buttons import PressRouter
from bot.ui.incidents import incident_tree
from bot.ui.picker import PickerTranslator

log = logging.getLogger(__name__)

# Saved content edits go live within this many seconds (the promise is "within 5").
CONTENT_POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Wiring:
    """What is built around the client: it needs the client, and the bot needs it."""

    services: Services
    publisher: Publisher
    weekly_jobs: WeeklyJobs


Wire = Callable[[discord.Client], Wiring]


class Bounceback(MonitoredEvents, commands.Bot):
    """The bot: minimal intents, explicit extensions, sync only when the tree changed."""

    def __init__(
        self,
        *,
        config: Config,
        clock: Clock,
        scheduler: Scheduler,
        wire: Wire,
        monitor: Monitor,
        presses: PressRouter,
        auto_sync: bool = True,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        # Bounceback never joins voice; discord.py's warn-once flags would only add noise.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=metered_tree(
                incident_tree(lambda: self.services.content.library.messages), monitor.metrics
            ),
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            **options,
        )
        self.config = config
        self.clock = clock
        self.scheduler = scheduler
        self.auto_sync = auto_sync
        self.monitor = monitor
        self.presses = presses
        self._settled = False
        # Set once the first catch-up after READY is done: the offline harness waits for it,
        # so a test's first command never races the catch-up's reads (slower on PostgreSQL).
        self.caught_up = asyncio.Event()
        wired = wire(self)
        self.services = wired.services
        self.publisher = wired.publisher
        self.weekly_jobs = wired.weekly_jobs

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Also hand each interaction to the button router, which starts a task only for presses."""
        super().dispatch(event_name, *args, **kwargs)
        if event_name == "interaction":
            self.presses.route(args[0])

    async def setup_hook(self) -> None:
        """Load the extensions and start weekly jobs before connecting; sync only if asked."""
        await self.tree.set_translator(PickerTranslator(lambda: self.services.content.library))
        for name in EXTENSIONS:
            await self.load_extension(name)
        await self.weekly_jobs.schedule()
        await follow_cluster(self.scheduler, self.services.cluster)
        self.scheduler.start()
        if self.config.content.watch:
            self.services.content.watch(CONTENT_POLL_SECONDS, self._report_content_errors)
        if self.auto_sync:
            await self.sync_commands()

    async def _report_content_errors(self, errors: list[SourceError]) -> None:
        """Tell moderators where a saved edit fails to validate; the old content stays live."""
        lines = [f"`{error}`" for error in errors[:10]]
        text = self.services.content.library.messages.pick(
            "content_reload_failed", count=len(errors)
        )
        await self.publisher.moderator_log("\n".join([text, *lines]))

    async def on_ready(self) -> None:
        """Once connected, settle the heap, then catch up on weekly posts missed while down.

        The content library and caches are long-lived; freezing them keeps later
        garbage collections short, which is what the slowest replies wait on.
        The catch-up is idempotent (every post is claimed first), so a second
        READY after a reconnect is harmless.
        """
        if not self._settled:
            gc.collect()
            gc.freeze()
            return_freed_memory()
            self._settled = True
        log.info("ready: %d servers", len(self.guilds))
        try:
            await self.weekly_jobs.catch_up()
        finally:
            self.caught_up.set()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Schedule the weekly posts of a server that (re)added the bot, if it was set up."""
        await self.weekly_jobs.schedule(guild.id)
        self.weekly_jobs.catch_up_soon(guild.id)  # a post that came due while it was out

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Drop the weekly posts of a server that removed the bot."""
        self.weekly_jobs.unschedule(guild.id)

    async def tree_payload(
        self, guild: discord.abc.Snowflake | None = None
    ) -> list[dict[str, Any]]:
        """Return the exact JSON `tree.sync()` would send for that scope."""
        found = self.tree._get_all_commands(guild=guild)
        translator = self.tree.translator
        if translator is not None:
            return [await cmd.get_translated_payload(self.tree, translator) for cmd in found]
        return [cmd.to_dict(self.tree) for cmd in found]

    async def sync_commands(self, guild_id: int | None = None, *, force: bool = False) -> bool:
        """Register the tree when it differs from the last synced one; return True if synced."""
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = await self.tree_payload(guild)
        tracker = self.services.command_sync
        if not force and await tracker.is_current(payload, guild_id):
            log.info("command tree unchanged since last sync; not syncing")
            return False
        if not force and not await tracker.claim(payload, guild_id, self.clock.now()):
            log.info("another process of the cluster is syncing the command tree")
            return False
        await self.tree.sync(guild=guild)
        await tracker.record(payload, guild_id)
        log.info("synced %d commands to %s", len(payload), guild_id or "all servers")
        return True

    async def close(self) -> None:
        """Stop scheduled work first so nothing new starts while the connection closes."""
        self.scheduler.stop()
        await self.weekly_jobs.stop()
        await self.services.content.stop()
        await super().close()


class ShardedBounceback(ShardedStart, Bounceback, commands.AutoShardedBot):
    """The same bot over several gateway connections (`discord.shards`), same intents."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.identify_pacer = IdentifyPacer(
            self._max_concurrency, reserve=self.services.identify_slots.reserve
        )

    async def on_ready(self) -> None:
        """Run the start-up work once; a later READY is one shard's, caught up per shard."""
        if not self._settled:
            await super().on_ready()

    async def _max_concurrency(self) -> int:
        return (await self.fetch_session_start_limits()).max_concurrency
