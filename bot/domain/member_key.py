"""Pseudonymous member keys: the only way member data is linked to a person.

`HMAC-SHA256(secret, "guild:user")` lets the bot find a member's own rows when
they ask, while someone holding only the database cannot turn a key back into
a Discord id, nor link the same person across servers.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

SECRET_MIN_BYTES = 16
KNOWN_KEYS = 50_000  # keys are computed on every command; remembering them saves the HMAC
#: The server id used in direct messages: a member's DM data is filed under server 0.
NO_GUILD = 0


@dataclass(frozen=True)
class MemberRef:
    """Both ways a member's rows can be found in one server."""

    guild_id: int
    user_id: int
    member_key: str


class MemberKeys:
    """Derives member keys from the server-side secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < SECRET_MIN_BYTES:
            raise ValueError(f"the member-key secret must be at least {SECRET_MIN_BYTES} bytes")
        self._secret = secret
        self._known: dict[tuple[int, int, str], str] = {}

    def key(self, guild_id: int, user_id: int, scope: str = "") -> str:
        """Return the member's key in one server (hex, 64 characters).

        A `scope` derives an unrelated key for data that may sit next to a user
        id (a named win), so it can never be joined with rejection rows.
        """
        found = self._known.get((guild_id, user_id, scope))
        if found is None:
            prefix = f"{scope}:" if scope else ""
            message = f"{prefix}{guild_id}:{user_id}".encode("ascii")
            found = hmac.new(self._secret, message, hashlib.sha256).hexdigest()
            if len(self._known) >= KNOWN_KEYS:  # bounded: forget all rather than track age
                self._known.clear()
            self._known[(guild_id, user_id, scope)] = found
        return found

    def __repr__(self) -> str:
        return "MemberKeys(<secret hidden>)"
