"""Gateway-only payloads: READY, whose guild list is the identifying shard's guilds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from discord_sandbox import payloads
from discord_sandbox.guild import Guild
from discord_sandbox.world import World


def ready(
    world: World, guilds: Iterable[Guild], session_id: str, resume_url: str
) -> dict[str, Any]:
    """READY as Discord sends it: the bot user, its guilds as unavailable stubs, the session."""
    return {
        "v": 10,
        "user": payloads.user(world.bot_user)
        | {"verified": True, "mfa_enabled": False, "flags": 0, "email": None},
        "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_url,
        "application": {"id": str(world.application_id), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["sandbox"],
        "user_settings": {},
        "auth": {},
    }
