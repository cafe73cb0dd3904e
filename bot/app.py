"""Composition root: config -> database -> repositories -> services -> scheduler -> bot.

Everything is wired here once, so no module needs global state and tests can
build the very same bot against a temporary database and the local sandbox.

One knot needs untying: the publisher sends through the discord client, the
scheduled services send through the publisher, and the bot (which is the
client, `bot/client.py`) carries the services to its extensions. `build_app`
therefore hands the bot a `Wire`: a function that receives the freshly
constructed client and returns everything built around it (publisher, services,
weekly jobs), so nothing is set on an object after it is built.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import discord

from bot.client import Bounceback, ShardedBounceback, Wiring
from bot.clock import Clock, SystemClock
from bot.cluster import pacing_share
from bot.config import Config
from bot.content.store import ContentStore
from bot.content.support_loader import SupportSource
from bot.domain.member_key import MemberKeys
from bot.exts import registered_commands
from bot.monitoring.gateway import (
    Monitor,
    count_answered_commands,
    expected_shards,
    shard_readings,
)
from bot.monitoring.health import HealthCheck, ShardStates
from bot.monitoring.posts import CountedFeature, count_retried_post
from bot.monitoring.readings import Unheard
from bot.publishing import Publisher
from bot.scheduling import SWEEP_SECONDS, Scheduler, WeeklyJobs
from bot.services.container import build_services
from bot.services.weekly_runs import Sleep, process_owner
from bot.storage.connect import database_for
from bot.storage.migrate import migrate
from bot.storage.port import QueryTimer, Store, untimed
from bot.storage.secret import load_secret
from bot.ui.buttons import PressRouter

if TYPE_CHECKING:
    from bot.monitoring.metrics import Metrics
    from bot.monitoring.server import MonitoringServer


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


async def open_migrated(config: Config, on_query: QueryTimer = untimed) -> Store:
    """Bring the schema up to date, then open the database the bot serves from.

    The migrations run on a connection of their own, closed once they are done: a
    connection keeps every statement it prepared and the pages it read for its whole
    life, and the bot never runs the migrations' again (0.2 MiB of a running bot).
    """
    migrating = configured_database(config)
    await migrating.connect()
    try:
        await migrate(migrating)
    finally:
        await migrating.close()
    db = configured_database(config, on_query)
    await db.connect()
    return db


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
    db = await open_migrated(config, metrics.query if metrics else untimed)
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
