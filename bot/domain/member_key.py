"""Pseudonymous member keys: the only way member data is linked to a person.

`HMAC-SHA256(secret, "guild:user")` lets the bot find a member's own rows when
they ask, while someone holding only the database cannot turn a key back into
a Discord id, nor link the same person across servers.
"""

from __future__ import annotations

import hashlib
import hmac

SECRET_MIN_BYTES = 16


class MemberKeys:
    """Derives member keys from the server-side secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < SECRET_MIN_BYTES:
            raise ValueError(f"the member-key secret must be at least {SECRET_MIN_BYTES} bytes")
        self._secret = secret

    def key(self, guild_id: int, user_id: int, scope: str = "") -> str:
        """The member's key in one server (hex, 64 characters).

        A `scope` derives an unrelated key for data that may sit next to a user
        id (a named win), so it can never be joined with rejection rows.
        """
        prefix = f"{scope}:" if scope else ""
        message = f"{prefix}{guild_id}:{user_id}".encode("ascii")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "MemberKeys(<secret hidden>)"
