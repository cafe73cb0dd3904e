"""Errors: Discord API errors the server answers with, and sandbox misuse raised in tests.

``ApiError`` is raised inside route handlers and turned into Discord's JSON error body by the
middleware, so handlers read like the API documentation ("no access -> 50001").
"""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    """A test used the sandbox wrongly (unknown command, option, channel, ...)."""


class SandboxTimeout(SandboxError, TimeoutError):
    """Something a test waited for did not happen in time."""


class ApiError(Exception):
    """An error Discord would answer with: HTTP status, JSON error code and message."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """Return the JSON body Discord sends for this error."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def unknown_route() -> ApiError:
    """404 for a route the sandbox does not implement (Discord's generic 404)."""
    return ApiError(404, 0, "404: Not Found")


def unauthorized() -> ApiError:
    """401 for a missing or wrong bot token."""
    return ApiError(401, 0, "401: Unauthorized")


def missing_access() -> ApiError:
    """403 50001: the bot cannot see the channel."""
    return ApiError(403, 50001, "Missing Access")


def missing_permissions() -> ApiError:
    """403 50013: the bot sees the channel but lacks a permission."""
    return ApiError(403, 50013, "Missing Permissions")


def unknown_channel() -> ApiError:
    """404 10003: the channel does not exist (or was deleted)."""
    return ApiError(404, 10003, "Unknown Channel")


def unknown_guild() -> ApiError:
    """404 10004: the guild does not exist."""
    return ApiError(404, 10004, "Unknown Guild")


def unknown_member() -> ApiError:
    """404 10007: the user is not a member of the guild."""
    return ApiError(404, 10007, "Unknown Member")


def unknown_message() -> ApiError:
    """404 10008: the message does not exist."""
    return ApiError(404, 10008, "Unknown Message")


def unknown_webhook() -> ApiError:
    """404 10015: the webhook (interaction token) is unknown or not yet usable."""
    return ApiError(404, 10015, "Unknown Webhook")


def unknown_command() -> ApiError:
    """404 10063: the application command does not exist."""
    return ApiError(404, 10063, "Unknown application command")


def unknown_interaction() -> ApiError:
    """404 10062: the interaction expired (3 s) or never existed."""
    return ApiError(404, 10062, "Unknown interaction")


def already_acknowledged() -> ApiError:
    """400 40060: the interaction already received its one callback."""
    return ApiError(400, 40060, "Interaction has already been acknowledged.")


def empty_message() -> ApiError:
    """400 50006: a message with no content, embeds, components or files."""
    return ApiError(400, 50006, "Cannot send an empty message")


def invalid_form(field: str, code: str, message: str) -> ApiError:
    """400 50035 with Discord's nested ``errors`` object for one field path like ``embeds.0``."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field.split(".")):
        errors = {part: errors}
    return ApiError(400, 50035, "Invalid Form Body", errors)
