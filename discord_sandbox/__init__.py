"""A local Discord-compatible server (gateway + REST v10) for e2e tests, the demo and benchmarks.

The REAL, unmodified discord.py client connects to it; ``point_discord_at`` (or, for a bot in
another process, ``point_discord_at_url``) is the only thing that redirects discord.py, and
nothing else in ``bot/`` knows the sandbox exists.

Usage::

    async with Sandbox() as sb:
        guild = sb.create_guild("Job Seekers", locale="en-US")
        wins = guild.create_text_channel("wins")
        forum = guild.create_forum_channel("accountability", tags=["weekly"])
        mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True).value)
        alice = guild.add_member("alice", roles=[mods], locale="es-ES")

        with point_discord_at(sb):
            client = MyBot(guild_ready_timeout=0.05)
            await client.login(sb.token)          # GET /users/@me, /oauth2/applications/@me
            task = asyncio.create_task(client.connect())
            await sb.wait_identified()             # READY + GUILD_CREATE sent

            res = await sb.invoke(alice, "tips add", options={"topic": "growth"}, channel=wins)
            reply = await res.response(timeout=5)  # InteractionResponse: kind, content, embeds...
            assert reply.ephemeral and reply.kind == "message"
            clicked = await sb.click(alice, reply.message, "more")    # views work end to end
            modal = await (await sb.invoke(alice, "feedback")).modal()
            await sb.submit_modal(alice, modal, {"text": "thanks"})
            posted = await sb.wait_for_message(wins, lambda m: "congrats" in m.content)
            assert posted.allowed_mentions == {"parse": []}

            await sb.drop_connection()             # the bot RESUMEs and misses nothing
            sb.revoke_permission(guild, wins, "send_messages")   # next send -> discord.Forbidden
            sb.delete_channel(wins)                              # next call -> discord.NotFound

Main pieces:

- ``Sandbox`` (facade): lifecycle, ``token``/``application_id``/``bot_user``, world building
  (``create_guild`` -> ``Guild.create_text_channel/create_forum_channel/create_category/
  create_role/update_role/add_member/add_members``), acting as members (``invoke``, ``autocomplete``,
  ``click``, ``select``, ``submit_modal``), waiting (``wait_identified``, ``wait_resumed``,
  ``wait_for_message``, ``wait_for_request``), faults (``drop_connection``,
  ``revoke_permission``, ``grant_permission``, ``delete_channel``), the command registry
  (``global_commands``, ``guild_commands(id)``, ``command_syncs``), ``requests`` (the
  ``RequestLog``), ``stats`` (``rate_limited`` ...), ``gateway_stats`` and ``ack_timeout``.
- ``InteractionResult``: ``await response()``, ``await final()``, ``await followup(n)``,
  ``await modal()``, ``followups``, ``original``, ``edits``.
- ``Message`` (model): live stored messages with content, embeds, components, attachments
  (filename + bytes), ``allowed_mentions`` as sent and ``mention_ids`` actually pinged.

Rate limits: every response carries ``X-RateLimit-*`` headers. With ``enforce_rate_limits=True``
the global 50 req/s (interaction routes exempt) and 5 messages / 5 s per channel are applied,
answering 429 with ``retry_after``, ``Retry-After`` and ``Via`` so discord.py retries.

Sharding: every IDENTIFY may carry ``shard: [id, count]``; each session gets READY and
GUILD_CREATE for its shard's guilds only, and a guild's events and interactions go to the
sessions of shard ``(guild_id >> 22) % count`` (none if that shard is not connected, as on
Discord). As Discord documents, several sessions may identify as the same shard (a deploy's
new process beside the old one): each of them receives the shard's dispatches, interactions
included, and the slower callback gets 40060; ``gateway.session_ids(shard)`` lists them.
Guild ids are minted so the k-th guild created is on shard ``k % count``.
``Sandbox(shards=N, max_concurrency=M, enforce_identify_limit=True)`` sets what
``GET /gateway/bot`` recommends and paces IDENTIFYs per bucket (``shard % M``, one per 5 s,
INVALID_SESSION otherwise). ``drop_connection(shard=1)`` drops one shard's
sockets, ``hold_shard``/``release_shard`` keep one down, ``invalidate_session(shard, session_id=None)``
expires its sessions or one of them (its RESUME is refused and it IDENTIFYs anew),
``wait_shards(0, 1)`` waits for sessions.

Gateway dispatches honour the IDENTIFY intents (e.g. MESSAGE_CREATE needs GUILD_MESSAGES),
exactly as Discord does, so a guilds-only bot sees what it would see in production.
"""

from discord_sandbox.errors import ApiError, SandboxError, SandboxTimeout
from discord_sandbox.guild import Guild
from discord_sandbox.interactions import CapturedModal
from discord_sandbox.model import Attachment, Channel, ChannelType, Member, Message, Role, User
from discord_sandbox.ratelimit import RateLimitPolicy, RateLimitStats
from discord_sandbox.redirect import point_discord_at, point_discord_at_url
from discord_sandbox.requestlog import RecordedRequest, RequestLog
from discord_sandbox.results import InteractionResponse, InteractionResult, SentFile
from discord_sandbox.sandbox import Sandbox

__all__ = [
    "ApiError",
    "Attachment",
    "CapturedModal",
    "Channel",
    "ChannelType",
    "Guild",
    "InteractionResponse",
    "InteractionResult",
    "Member",
    "Message",
    "RateLimitPolicy",
    "RateLimitStats",
    "RecordedRequest",
    "RequestLog",
    "Role",
    "Sandbox",
    "SandboxError",
    "SandboxTimeout",
    "SentFile",
    "User",
    "point_discord_at",
    "point_discord_at_url",
]
