"""Composition root: config -> database -> repositories -> services -> scheduler -> bot.

Everything is wired here once, so no module needs global state and tests can
build the very same bot against a temporary database and the local sandbox.

One knot needs untying: the publisher sends through the discord client, the
scheduled services send through the publisher, and the bot (which is the
client) carries the services to its extensions. `build_app` therefore hands
the bot a `Wire`: a function that receives the freshly constructed client and
returns everything built around it (publisher, services, weekly jobs). The bot
calls it once, at the end of its own constructor, so every object still gets
all its collaborators through its constructor and nothing is set afterwards.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.cluster import follow_cluster, pacing_share
from bot.config import Config
from bot.content.source import SourceError
from bot.content.store import ContentStore
from bot.content.support_loader import SupportSource
from bot.domain.member_key import MemberKeys
from bot.exts import EXTENSIONS, registered_commands
from bot.monitoring.gateway import (
    Monitor,
    MonitoredEvents,
    count_answered_commands,
    expected_shards,
    metered_tree,
    shard_readings,
)
from bot.monitoring.health import HealthCheck, ShardStates
from bot.monitoring.posts import CountedFeature, count_retried_post
from bot.monitoring.readings import Unheard
from bot.publishing import Publisher
from bot.runtime import return_freed_memory
from bot.scheduling import SWEEP_SECONDS, Scheduler, WeeklyJobs
from bot.services.container import Services, build_services
from bot.services.weekly_runs import Sleep, process_owner
from bot.sharding import IdentifyPacer, ShardedStart
from bot.storage.connect import database_for
from bot.storage.migrate import migrate
from bot.storage.port import QueryTimer, Store, untimed
from bot.storage.secret import load_secret
from bot.ui.buttons import PressRouter
from bot.ui.incidents import incident_tree
from bot.ui.picker import PickerTranslator

if TYPE_CHECKING:
    from bot.monitoring.metrics import Metrics
    from bot.monitoring.server import MonitoringServer

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


class App:
    """Owns the lifecycle of the database, the scheduler, the bot and the health endpoint."""

    def __init__(
        self,
        config: Config,
        db: Store,
        bot: Bounceback,
        monitoring: MonitoringServer | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.bot = bot
        self.monitoring = monitoring

    async def close(self) -> None:
        """Graceful stop: scheduler, then gateway, then the database (nothing half-written)."""
        if self.monitoring is not None:
            await self.monitoring.stop()
        if not self.bot.is_closed():
            await self.bot.close()
        self.bot.scheduler.stop()
        await self.bot.services.history.close()
        await self.bot.services.writes.close()
        await self.db.close()


def configured_database(config: Config, on_query: QueryTimer = untimed) -> Store:
    """Build the SQLite file or PostgreSQL pool the config (or BOUNCEBACK_DATABASE_URL) names."""
    return database_for(
        config.database_url,
        config.database_path,
        pool_size=config.database.pool_size,
        statement_timeout_s=config.database.statement_timeout_seconds,
        on_query=on_query,
    )


async def build_app(
    config: Config,
    *,
    clock: Clock | None = None,
    auto_sync: bool = True,
    seed: int | None = None,
    sleep: Sleep | None = None,
    **bot_options: Any,
) -> App:
    """Load content, open and migrate the database, then wire services and the bot.

    `seed` makes every random choice (tips, wording variants) repeatable, for tests
    and the demo; production leaves it unset. `sleep` is how a weekly post waits
    between retries (tests pass one that moves their fake clock instead).
    """
    clock = clock or SystemClock()
    commands = registered_commands()
    store = ContentStore.open(config.content_dir, commands)
    support = SupportSource.open(config.content_dir, clock, commands)
    keys = MemberKeys(load_secret(config.database_path))
    metrics = _metrics(config, lambda: store.reloads)
    monitor = Monitor(metrics or Unheard(), ShardStates())
    db = configured_database(config, metrics.query if metrics else untimed)
    await db.connect()
    try:
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    scheduler = Scheduler(grace_seconds=config.schedule.grace_period_hours * 3600)
    shards = config.discord.plan

    def wire(client: discord.Client) -> Wiring:
        publisher = Publisher(client, config.moderation.log_channel_id, store, pacing_share(shards))
        services = build_services(
            config,
            db,
            store,
            support,
            keys,
            clock,
            publisher,
            process_owner(),
            seed=seed,
            sleep=sleep or asyncio.sleep,
            count_retry=partial(count_retried_post, monitor.metrics),
        )
        sweep = min(SWEEP_SECONDS, config.schedule.lease_seconds)
        weekly_jobs = WeeklyJobs(
            scheduler, client.wait_until_ready, owns=shards.owns, sweep_seconds=sweep
        )
        weekly_jobs.declare(CountedFeature(services.celebrations, monitor.metrics))
        weekly_jobs.declare(CountedFeature(services.accountability_weeks, monitor.metrics))
        return Wiring(services, publisher, weekly_jobs)

    if shards.sharded:
        bot_options |= {"shard_count": shards.count, "shard_ids": shards.ids and list(shards.ids)}
    bot = (ShardedBounceback if shards.sharded else Bounceback)(
        config=config,
        clock=clock,
        scheduler=scheduler,
        wire=wire,
        monitor=monitor,
        presses=PressRouter(),
        # Every process may start the sync; a claim in the database lets only one do it.
        auto_sync=auto_sync,
        **bot_options,
    )
    monitor.metrics.watch_shards(lambda: shard_readings(bot, monitor.shards))
    if metrics is not None:
        count_answered_commands(bot, metrics)
    health = HealthCheck(
        monitor.shards,
        lambda: expected_shards(bot),
        lambda: db.fetch_one("SELECT 1"),
    )
    try:
        monitoring = await _serve_monitoring(config, health, metrics)
    except BaseException:
        await db.close()
        raise
    return App(config, db, bot, monitoring)


def _metrics(config: Config, content_version: Callable[[], float]) -> Metrics | None:
    """Keep metrics only when `/metrics` is served (prometheus-client is imported only then)."""
    if config.monitoring.listen is None:
        return None
    from bot.monitoring.metrics import Metrics

    return Metrics(content_version)


async def _serve_monitoring(
    config: Config, health: HealthCheck, metrics: Metrics | None
) -> MonitoringServer | None:
    """Serve /healthz and /metrics when asked; aiohttp's server (2 MiB) is imported only then."""
    if config.monitoring.listen is None or metrics is None:
        return None
    from bot.monitoring.server import serve_monitoring

    return await serve_monitoring(config.monitoring.listen, health, metrics)
