"""Message nonces as Discord enforces them: a repeated nonce returns the earlier message.

With ``enforce_nonce: true``, Discord checks the nonce for uniqueness among the
author's recent messages in the channel (for "a few minutes") and returns the
earlier message instead of creating a second one. That is what makes a retried
send safe after a timeout or a 5xx that the server had in fact processed.
"""

from __future__ import annotations

import time
from typing import Any

from discord_sandbox.errors import invalid_form

NONCE_WINDOW_SECONDS = 300.0
NONCE_MAX_LENGTH = 25


def check_nonce(body: dict[str, Any]) -> str | None:
    """Return the nonce to enforce (as text), or None; raise what Discord raises on a bad one."""
    nonce = body.get("nonce")
    if nonce is None:
        return None
    if isinstance(nonce, str) and len(nonce) > NONCE_MAX_LENGTH:
        raise invalid_form(
            "nonce", "BASE_TYPE_MAX_LENGTH", f"Must be {NONCE_MAX_LENGTH} or fewer in length."
        )
    return str(nonce) if body.get("enforce_nonce") else None


class NonceRegistry:
    """Recent (channel, author, nonce) -> message id, forgotten after the window."""

    def __init__(self, window: float = NONCE_WINDOW_SECONDS) -> None:
        self.window = window
        self._seen: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.deduplicated = 0

    def find(self, channel_id: int, author_id: int, nonce: str) -> int | None:
        """Return the message id created earlier with this nonce, if still within the window."""
        found = self._seen.get((channel_id, author_id, nonce))
        if found is None or time.monotonic() - found[1] > self.window:
            return None
        self.deduplicated += 1
        return found[0]

    def remember(self, channel_id: int, author_id: int, nonce: str, message_id: int) -> None:
        """Record a created message under its nonce."""
        self._seen[(channel_id, author_id, nonce)] = (message_id, time.monotonic())
