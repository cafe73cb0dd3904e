"""The ``Sandbox`` facade: start the server, build a world, act as members, stage faults.

See the package docstring for a walkthrough. Everything here is a thin, typed entry point
over the world, the gateway, the command registry and the interaction store.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from discord_sandbox.actions import MemberActions
from discord_sandbox.commands import CommandRegistry
from discord_sandbox.context import Context
from discord_sandbox.faults import Faults
from discord_sandbox.gateway import Gateway, GatewayStats
from discord_sandbox.guild import Guild
from discord_sandbox.ids import bot_token
from discord_sandbox.interactions import InteractionStore
from discord_sandbox.invocations import Invoker
from discord_sandbox.model import Channel, Message, User
from discord_sandbox.permissions import DEFAULT_BOT
from discord_sandbox.ratelimit import RateLimiter, RateLimitPolicy, RateLimitStats
from discord_sandbox.requestlog import RecordedRequest, RequestLog
from discord_sandbox.server import HttpServer, build_app
from discord_sandbox.shards import SessionStarts, shard_of
from discord_sandbox.web import API_PREFIX, GATEWAY_PATH
from discord_sandbox.world import World


class Sandbox(MemberActions, Faults):
    """A local Discord: REST + gateway on 127.0.0.1, plus the controls tests need."""

    def __init__(
        self,
        *,
        enforce_rate_limits: bool = False,
        rate_limits: RateLimitPolicy | None = None,
        bot_name: str = "Bounceback",
        bot_permissions: int = DEFAULT_BOT,
        ack_timeout: float = 3.0,
        heartbeat_interval: float = 41.25,
        request_log_limit: int = 100_000,
        shards: int = 1,
        max_concurrency: int = 1,
        enforce_identify_limit: bool = False,
    ) -> None:
        self.world = World(bot_name, bot_permissions)
        self.token = bot_token(self.world.bot_user.id)
        # Off by default so a test restarting the bot does not wait out Discord's 5 s window.
        starts = SessionStarts(shards, max_concurrency, enforce=enforce_identify_limit)
        self.gateway = Gateway(
            self.world, self.token, heartbeat_ms=int(heartbeat_interval * 1000), starts=starts
        )
        self.world.dispatcher = self.gateway
        self.commands = CommandRegistry(self.world.ids, self.world.application_id)
        self.interactions = InteractionStore()
        self.requests = RequestLog(request_log_limit)
        self.limiter = RateLimiter(rate_limits or RateLimitPolicy(), enforce=enforce_rate_limits)
        self._context = Context(
            self.world,
            self.gateway,
            self.commands,
            self.interactions,
            self.requests,
            self.limiter,
            self.token,
            ack_timeout,
        )
        self._invoker = Invoker(self.world, self.commands, self.interactions)
        self._server = HttpServer(build_app(self._context))

    # lifecycle -------------------------------------------------------------------------------
    async def start(self) -> Self:
        """Start serving on a free loopback port."""
        port = await self._server.start()
        self.gateway.url = f"ws://127.0.0.1:{port}{GATEWAY_PATH}"
        self.world.cdn_base = self.base_url
        return self

    async def stop(self) -> None:
        """Close the bot's socket and stop the server."""
        await self.gateway.drop_connection(code=1001)
        await self._server.stop()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._server.port != 0

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (also the CDN base)."""
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def api_base(self) -> str:
        """REST base, what ``discord.http.Route.BASE`` must be."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Websocket URL for the first connect (and for RESUME)."""
        return self.gateway.url

    @property
    def application_id(self) -> int:
        """The bot's application id (same as its user id, as for modern bots)."""
        return self.world.application_id

    @property
    def bot_user(self) -> User:
        """The bot's user."""
        return self.world.bot_user

    @property
    def stats(self) -> RateLimitStats:
        """Request and 429 counters (``stats.rate_limited``)."""
        return self.limiter.stats

    @property
    def gateway_stats(self) -> GatewayStats:
        """Connections, IDENTIFYs, RESUMEs, heartbeats, dispatches."""
        return self.gateway.stats

    @property
    def enforce_rate_limits(self) -> bool:
        """Whether excess requests get 429s (can be switched at any time)."""
        return self.limiter.enforce

    @enforce_rate_limits.setter
    def enforce_rate_limits(self, value: bool) -> None:
        self.limiter.enforce = value

    @property
    def ack_timeout(self) -> float:
        """Seconds the bot has to acknowledge an interaction (Discord: 3)."""
        return self._context.ack_timeout

    @ack_timeout.setter
    def ack_timeout(self, value: float) -> None:
        self._context.ack_timeout = value

    # world -----------------------------------------------------------------------------------
    def create_guild(
        self, name: str, *, locale: str = "en-US", member_count: int | None = None
    ) -> Guild:
        """Create a guild the bot is in (dispatches GUILD_CREATE if the bot is connected)."""
        return self.world.create_guild(name, locale=locale, member_count=member_count)

    def remove_bot(self, guild: Guild) -> None:
        """Kick the bot from ``guild`` (GUILD_DELETE); `add_bot` invites it back."""
        self.world.remove_bot(guild)

    def add_bot(self, guild: Guild) -> None:
        """Invite the bot back to ``guild`` (GUILD_CREATE, which discord.py reports as a join)."""
        self.world.add_bot(guild)

    def create_user(self, username: str, *, locale: str = "en-US") -> User:
        """Create a user outside any guild (for DM invocations)."""
        return self.world.create_user(username, locale=locale)

    @property
    def guilds(self) -> list[Guild]:
        """Every guild, in creation order."""
        return list(self.world.guilds.values())

    # waiting ---------------------------------------------------------------------------------
    async def wait_identified(self, timeout: float = 5.0) -> list[int]:  # noqa: ASYNC109
        """Wait until the bot has IDENTIFIED; return the ids of guilds sent after READY."""
        gateway = self.gateway
        await gateway.changes.wait_for(
            lambda: gateway.stats.identifies or None, timeout, "IDENTIFY"
        )
        return list(gateway.sent_guild_ids)

    async def wait_shards(self, *shard_ids: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until each of ``shard_ids`` has a connected session (READY or RESUMED)."""
        gateway = self.gateway
        await gateway.changes.wait_for(
            lambda: set(shard_ids) <= set(gateway.connected_shards()) or None,
            timeout,
            f"shards {sorted(shard_ids)} to connect",
        )

    @staticmethod
    def shard_of(guild: Guild, shard_count: int) -> int:
        """Return the shard Discord routes ``guild`` to: ``(guild_id >> 22) % shard_count``."""
        return shard_of(guild.id, shard_count)

    async def wait_resumed(self, count: int = 1, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has RESUMEd ``count`` times in total."""
        stats = self.gateway.stats
        await self.gateway.changes.wait_for(
            lambda: stats.resumes >= count or None, timeout, "RESUME"
        )

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        """Wait for a REST request (already made or future) that satisfies ``predicate``."""
        return await self.requests.wait_for(predicate, timeout)

    async def wait_for_message(
        self,
        channel: Channel,
        predicate: Callable[[Message], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Message:
        """Wait for a visible message in ``channel`` (already sent or future) matching ``predicate``."""

        def check() -> Message | None:
            return next(
                (m for m in channel.live_messages if predicate is None or predicate(m)), None
            )

        return await self.world.changes.wait_for(check, timeout, f"a message in #{channel.name}")

    # commands --------------------------------------------------------------------------------
    @property
    def global_commands(self) -> list[dict[str, Any]]:
        """Global commands as registered (Discord's JSON)."""
        return self.commands.in_scope(None)

    def guild_commands(self, guild_id: int) -> list[dict[str, Any]]:
        """Commands registered for one guild."""
        return self.commands.in_scope(guild_id)

    @property
    def command_syncs(self) -> int:
        """How many bulk-overwrite PUTs (``tree.sync()`` calls) the bot made."""
        return self.commands.bulk_overwrites
