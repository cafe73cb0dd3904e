"""The shared state every REST handler reaches through ``request.app[CTX]``."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from discord_sandbox.commands import CommandRegistry
from discord_sandbox.errors import missing_access, missing_permissions
from discord_sandbox.gateway import Gateway
from discord_sandbox.injected import FailurePlan
from discord_sandbox.interactions import InteractionStore
from discord_sandbox.model import Channel
from discord_sandbox.permissions import VIEW_CHANNEL
from discord_sandbox.ratelimit import RateLimiter
from discord_sandbox.requestlog import RequestLog
from discord_sandbox.world import World


@dataclass(eq=False)
class Context:
    """Everything a route handler may read or change."""

    world: World
    gateway: Gateway
    commands: CommandRegistry
    interactions: InteractionStore
    log: RequestLog
    limiter: RateLimiter
    token: str
    ack_timeout: float
    failures: FailurePlan = field(default_factory=FailurePlan)

    def bot_permissions(self, channel: Channel) -> int:
        """Return the bot's effective permissions in a guild channel (everything in DMs)."""
        if channel.guild_id is None:
            return ~0
        guild = self.world.guilds[channel.guild_id]
        return guild.permissions_for(guild.bot_member, channel)

    def require(self, channel: Channel, *bits: int) -> None:
        """Raise 50001 without VIEW_CHANNEL, 50013 without any of ``bits`` (all required)."""
        perms = self.bot_permissions(channel)
        if not perms & VIEW_CHANNEL:
            raise missing_access()
        for bit in bits:
            if not perms & bit:
                raise missing_permissions()


CTX = web.AppKey("sandbox_context", Context)
