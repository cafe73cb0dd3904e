"""Gateway intent bits that decide which dispatches a connection receives.

Discord only sends MESSAGE_CREATE and friends to bots that asked for them; honouring the
IDENTIFY intents keeps tests honest about what a guilds-only bot can see.
"""

from __future__ import annotations

ALWAYS = 0
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
