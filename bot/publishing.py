"""The one place that posts messages nobody directly asked for (moderator log, schedules).

Mentions are always off, and a missing channel or permission becomes a log
line, never a crash: a moderator log that cannot be written must not stop the
change it reports.
"""

from __future__ import annotations

import logging

import discord

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
MESSAGE_LIMIT = 2000


class Publisher:
    """Sends to channels by id with safe defaults."""

    def __init__(self, client: discord.Client, log_channel_id: int | None) -> None:
        self._client = client
        self._log_channel_id = log_channel_id

    async def moderator_log(self, text: str) -> bool:
        """Post to the configured moderator log channel; False when unset or undeliverable."""
        if self._log_channel_id is None:
            return False
        return await self.post(self._log_channel_id, text)

    async def post(self, channel_id: int, text: str) -> bool:
        """Post plain text without pings or link previews; False (logged) on failure."""
        try:
            channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
                channel_id
            )
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("channel %s cannot receive messages", channel_id)
                return False
            await channel.send(
                text[:MESSAGE_LIMIT], allowed_mentions=NO_PINGS, suppress_embeds=True
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            log.warning("could not post to channel %s: %s", channel_id, exc)
            return False
        return True
