"""The application command registry: what the bot registered, globally and per guild.

Bulk overwrites keep a command's id when its name and type survive (as Discord does), and
invocations look commands up here so option types come from what the bot really registered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from discord_sandbox.errors import SandboxError, invalid_form, unknown_command
from discord_sandbox.ids import SnowflakeFactory
from discord_sandbox.localizations import check_localizations

_NAME = re.compile(r"^[-_\w]{1,32}$")
Command = dict[str, Any]


class CommandRegistry:
    """Commands by scope: ``None`` for global, a guild id for guild commands."""

    def __init__(self, ids: SnowflakeFactory, application_id: int) -> None:
        self._ids = ids
        self._application_id = application_id
        self._scopes: dict[int | None, dict[int, Command]] = {None: {}}
        self.bulk_overwrites = 0

    def in_scope(self, guild_id: int | None) -> list[Command]:
        """Commands of one scope, in registration order."""
        return list(self._scopes.get(guild_id, {}).values())

    def bulk_overwrite(self, guild_id: int | None, commands: Sequence[Command]) -> list[Command]:
        """Replace a scope's commands, keeping ids of commands that still exist."""
        if len(commands) > 100:
            raise invalid_form("_errors", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        old = {(c["name"], c.get("type", 1)): c for c in self.in_scope(guild_id)}
        scope: dict[int, Command] = {}
        for index, body in enumerate(commands):
            _validate(body, f"{index}")
            previous = old.get((body["name"], body.get("type", 1)))
            command = self._stored(guild_id, body, previous)
            scope[int(command["id"])] = command
        self._scopes[guild_id] = scope
        self.bulk_overwrites += 1
        return list(scope.values())

    def upsert(self, guild_id: int | None, body: Command) -> Command:
        """Create a command, or replace the one with the same name and type."""
        _validate(body, "")
        scope = self._scopes.setdefault(guild_id, {})
        previous = next(
            (
                c
                for c in scope.values()
                if (c["name"], c["type"]) == (body["name"], body.get("type", 1))
            ),
            None,
        )
        command = self._stored(guild_id, body, previous)
        scope[int(command["id"])] = command
        return command

    def get(self, guild_id: int | None, command_id: int) -> Command:
        """Return one command or raise 404 10063."""
        command = self._scopes.get(guild_id, {}).get(command_id)
        if command is None:
            raise unknown_command()
        return command

    def edit(self, guild_id: int | None, command_id: int, patch: Command) -> Command:
        """Apply a partial edit."""
        current = self.get(guild_id, command_id)
        merged = current | patch
        _validate(merged, "")
        command = self._stored(guild_id, merged, current)
        self._scopes[guild_id][command_id] = command
        return command

    def delete(self, guild_id: int | None, command_id: int) -> None:
        """Remove a command."""
        self.get(guild_id, command_id)
        del self._scopes[guild_id][command_id]

    def find(self, name: str, guild_id: int | None, kind: int = 1) -> Command:
        """Return the command a member would run by name here: guild ones shadow global ones."""
        scopes = ([guild_id] if guild_id is not None else []) + [None]
        for scope in scopes:
            for command in self.in_scope(scope):
                if command["name"] == name and command.get("type", 1) == kind:
                    return command
        known = sorted({c["name"] for s in scopes for c in self.in_scope(s)})
        where = f"guild {guild_id}" if guild_id is not None else "DMs"
        raise SandboxError(f"no command /{name} is registered for {where}; registered: {known}")

    def _stored(self, guild_id: int | None, body: Command, previous: Command | None) -> Command:
        command_id = int(previous["id"]) if previous is not None else self._ids.next()
        permissions = body.get("default_member_permissions")
        command: Command = {
            "id": str(command_id),
            "application_id": str(self._application_id),
            "version": str(self._ids.next()),
            "type": body.get("type", 1),
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options") or [],
            "default_member_permissions": None if permissions is None else str(permissions),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "nsfw": body.get("nsfw", False),
        }
        if guild_id is not None:
            command["guild_id"] = str(guild_id)
        return command


def _validate(body: Command, where: str) -> None:
    prefix = f"{where}." if where else ""
    name = body.get("name") or ""
    kind = body.get("type", 1)
    if kind == 1 and (not _NAME.match(name) or name != name.lower()):
        raise invalid_form(
            f"{prefix}name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
        )
    if kind == 1 and not 1 <= len(body.get("description") or "") <= 100:
        raise invalid_form(
            f"{prefix}description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    check_localizations(body, where)
    _validate_options(body.get("options") or [], f"{prefix}options")


def _validate_options(options: list[dict[str, Any]], where: str) -> None:
    if len(options) > 25:
        raise invalid_form(where, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional = False
    for index, option in enumerate(options):
        check_localizations(option, f"{where}.{index}")
        for number, choice in enumerate(option.get("choices") or []):
            check_localizations(choice, f"{where}.{index}.choices.{number}", named=False)
        if option.get("type") in (1, 2):
            _validate_options(option.get("options") or [], f"{where}.{index}.options")
            continue
        if option.get("required") and seen_optional:
            raise invalid_form(
                f"{where}.{index}.required",
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        seen_optional = seen_optional or not option.get("required")
