"""A stable fingerprint of the slash-command tree, to sync only when it changed.

Discord rate-limits command registration hard, and re-registering on every
start or reconnect also makes clients flicker. Hashing the canonical JSON of the
tree lets the bot compare what it would register with what it registered last.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any


def tree_digest(commands: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of the commands' JSON, independent of command and key order."""
    canonical = sorted(
        json.dumps(cmd, sort_keys=True, separators=(",", ":"), default=str) for cmd in commands
    )
    return hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()


def sync_key(guild_id: int | None) -> str:
    """Return the meta key under which the last synced digest of one scope is kept."""
    return "command_tree:global" if guild_id is None else f"command_tree:guild:{guild_id}"
