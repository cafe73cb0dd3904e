"""Errors whose message is safe and kind enough to show a member as is."""

from __future__ import annotations


class UserFacingError(Exception):
    """Something the member can fix or should know; the text is shown to them ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(UserFacingError):
    """The member lacks the role or permission a command needs."""


class NotInServer(UserFacingError):
    """A server-only command was used in a DM."""
