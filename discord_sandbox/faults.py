"""Staged faults: a dropped socket, revoked permissions, a channel deleted under the bot.

A mixin of ``Sandbox``; each fault dispatches the gateway event Discord would send, so the
bot's cache and the server disagree only where the real platform would let them.
"""

from __future__ import annotations

from collections.abc import Sequence

from discord_sandbox import events
from discord_sandbox.context import Context
from discord_sandbox.errors import SandboxError
from discord_sandbox.gateway import Gateway
from discord_sandbox.guild import Guild
from discord_sandbox.injected import InjectedFailure
from discord_sandbox.model import Channel, Overwrite
from discord_sandbox.permissions import flag
from discord_sandbox.world import World


class Faults:
    """Ways to make the platform misbehave on purpose."""

    world: World
    gateway: Gateway
    _context: Context

    def fail_next(
        self,
        method: str,
        route: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.05,
        after: bool = False,
        channel_id: int | None = None,
    ) -> None:
        """Answer the next `times` requests to `route` with a 429 or 5xx instead of serving them.

        `route` is a template such as ``/channels/{channel_id}/messages``.

        With ``after=True`` the request is served first and the 5xx is answered
        anyway, as when Discord processed a request whose response was lost: only
        an idempotent retry (a message nonce) avoids doing it twice. With
        `channel_id`, only requests to that channel fail (the others are served).
        """
        if after and status == 429:
            raise SandboxError("a 429 is never served after processing; use a 5xx")
        self._context.failures.add(
            InjectedFailure(
                method, route, status, retry_after, times, after=after, channel_id=channel_id
            )
        )

    @property
    def failures_served(self) -> int:
        """How many staged failures were actually answered."""
        return self._context.failures.served

    async def drop_connection(
        self, *, code: int = 4000, abrupt: bool = False, shard: int | None = None
    ) -> None:
        """Close the bot's websocket(s) (close code, or abruptly); the bot should RESUME.

        ``shard`` drops only that shard's session; by default every session drops.
        """
        await self.gateway.drop_connection(code=code, abrupt=abrupt, shard=shard)

    async def hold_shard(self, shard: int) -> None:
        """Take a shard down until ``release_shard``: its socket drops, reconnects go unanswered.

        Its guilds' events and interactions are buffered for a RESUME; other shards carry on.
        """
        await self.gateway.hold(shard)

    async def invalidate_session(self, shard: int = 0, session_id: str | None = None) -> None:
        """Expire a shard's sessions: the bot's RESUME gets INVALID_SESSION and it IDENTIFYs anew.

        ``session_id`` (from ``gateway.session_ids(shard)``) expires only that one, as Discord
        does with a connection that stopped heartbeating; the shard's others carry on.
        """
        await self.gateway.invalidate(shard, session_id)

    async def release_shard(self, shard: int) -> None:
        """Let a held shard's waiting IDENTIFY or RESUME through."""
        await self.gateway.release(shard)

    def revoke_permission(self, guild: Guild, channel: Channel, *names: str) -> None:
        """Deny the bot permissions (discord.py names) in a channel via a member overwrite."""
        self._overwrite_bot(guild, channel, names, allow=False)

    def archive_thread(self, thread: Channel, *, locked: bool = False) -> None:
        """Archive (and optionally lock) a thread as a moderator would, telling the bot."""
        if not thread.is_thread:
            raise SandboxError(f"#{thread.name} is not a thread")
        thread.archived, thread.locked = True, locked
        events.channel_updated(self.world, thread)

    def grant_permission(self, guild: Guild, channel: Channel, *names: str) -> None:
        """Allow the bot permissions in a channel via a member overwrite."""
        self._overwrite_bot(guild, channel, names, allow=True)

    def _overwrite_bot(
        self, guild: Guild, channel: Channel, names: Sequence[str], *, allow: bool
    ) -> None:
        if channel.guild_id != guild.id:
            raise SandboxError(f"#{channel.name} is not in {guild.name!r}")
        target = (
            self.world.channels[channel.parent_id]
            if channel.is_thread and channel.parent_id
            else channel
        )
        bot_id = self.world.bot_user.id
        overwrite = target.overwrites.setdefault(bot_id, Overwrite(bot_id, 1))
        bits = 0
        for name in names:
            bits |= flag(name)
        if allow:
            overwrite.allow, overwrite.deny = overwrite.allow | bits, overwrite.deny & ~bits
        else:
            overwrite.allow, overwrite.deny = overwrite.allow & ~bits, overwrite.deny | bits
        events.channel_updated(self.world, target)

    def delete_channel(self, channel: Channel) -> None:
        """Delete a channel or thread as an admin would; later REST calls get 404 10003."""
        channel.deleted = True
        self.world.changes.notify()
        events.channel_deleted(self.world, channel)
