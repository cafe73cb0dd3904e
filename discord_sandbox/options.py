"""Slash-command options: turn a test's ``{"topic": "growth"}`` into Discord's typed options.

The sandbox reads the command the bot REGISTERED, so a test that passes an option the bot
never declared (or the wrong type) fails loudly instead of producing a payload Discord could
never send.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from discord_sandbox import payloads
from discord_sandbox.errors import SandboxError
from discord_sandbox.guild import Guild
from discord_sandbox.model import Channel, Member, Role, User

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10


class OptionBuilder:
    """Build the ``options`` tree and ``resolved`` data for one invocation."""

    def __init__(
        self, guild: Guild | None, invoker: Member | None, channel: Channel, strict: bool = True
    ) -> None:
        self.guild = guild
        self.invoker = invoker
        self.channel = channel
        self.strict = strict  # False: send what a crafted client could (no choice/range checks)
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(
        self,
        command: dict[str, Any],
        path: list[str],
        values: Mapping[str, Any],
        focused: str | None,
    ) -> list[dict[str, Any]]:
        """Options for ``/command sub ...`` with ``values``; ``focused`` marks autocomplete."""
        wrappers: list[dict[str, Any]] = []
        defs: list[dict[str, Any]] = command.get("options") or []
        trail = command["name"]
        for part in path:
            match = next((o for o in defs if o["name"] == part and o["type"] in (1, 2)), None)
            if match is None:
                names = [o["name"] for o in defs if o["type"] in (1, 2)]
                raise SandboxError(f"/{trail} has no subcommand {part!r}; it has {names}")
            wrappers.append(match)
            defs = match.get("options") or []
            trail += f" {part}"
        subs = [o["name"] for o in defs if o["type"] in (1, 2)]
        if subs:
            raise SandboxError(f"/{trail} needs a subcommand: one of {subs}")
        options = self._values(trail, defs, values, focused)
        for wrapper in reversed(wrappers):
            options = [{"name": wrapper["name"], "type": wrapper["type"], "options": options}]
        return options

    def _values(
        self, trail: str, defs: list[dict[str, Any]], values: Mapping[str, Any], focused: str | None
    ) -> list[dict[str, Any]]:
        by_name = {o["name"]: o for o in defs}
        unknown = set(values) - set(by_name)
        if unknown or (focused is not None and focused not in by_name):
            bad = sorted(unknown) if unknown else [str(focused)]
            raise SandboxError(f"/{trail} has no option {bad}; it has {sorted(by_name)}")
        options: list[dict[str, Any]] = []
        for definition in defs:
            name = definition["name"]
            if name == focused:
                raw = values.get(name, "")
                options.append(
                    {"name": name, "type": definition["type"], "value": raw, "focused": True}
                )
            elif name in values:
                value = self._convert(trail, definition, values[name])
                options.append({"name": name, "type": definition["type"], "value": value})
            elif definition.get("required") and focused is None:
                raise SandboxError(f"/{trail} requires option {name!r}")
        return options

    def _convert(self, trail: str, definition: dict[str, Any], value: Any) -> Any:
        kind, name = definition["type"], definition["name"]
        where = f"/{trail} option {name!r}"
        if kind == STRING:
            result: Any = _expect(where, value, str)
            self._check_range(where, len(result), definition, "min_length", "max_length")
        elif kind == INTEGER:
            result = _expect(where, value, int)
            self._check_range(where, result, definition, "min_value", "max_value")
        elif kind == NUMBER:
            result = float(_expect(where, value, (int, float)))
            self._check_range(where, result, definition, "min_value", "max_value")
        elif kind == BOOLEAN:
            result = _expect(where, value, bool)
        elif kind in (USER, ROLE, CHANNEL, MENTIONABLE):
            result = str(self.resolve(where, kind, value, definition.get("channel_types")))
        else:
            raise SandboxError(f"{where}: option type {kind} is not supported by the sandbox")
        choices = definition.get("choices")
        if self.strict and choices and result not in [c["value"] for c in choices]:
            raise SandboxError(f"{where}: {result!r} is not one of the registered choices")
        return result

    def _check_range(
        self, where: str, value: float, definition: dict[str, Any], low: str, high: str
    ) -> None:
        if self.strict:
            _check_range(where, value, definition, low, high)

    def resolve(
        self, where: str, kind: int, value: Any, channel_types: list[int] | None = None
    ) -> int:
        """Add a user/member, role or channel to ``resolved`` and return its id."""
        if kind in (USER, MENTIONABLE) and isinstance(value, Member | User):
            user = value.user if isinstance(value, Member) else value
            self.resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
            member = self.guild.members.get(user.id) if self.guild is not None else None
            if member is not None and self.guild is not None:
                perms = self.guild.permissions_for(member, self.channel)
                entry = payloads.member(member, with_user=False, permissions=perms)
                self.resolved.setdefault("members", {})[str(user.id)] = entry
            return user.id
        if kind in (ROLE, MENTIONABLE) and isinstance(value, Role):
            self.resolved.setdefault("roles", {})[str(value.id)] = payloads.role(value)
            return value.id
        if kind == CHANNEL and isinstance(value, Channel):
            if channel_types and int(value.type) not in channel_types:
                raise SandboxError(
                    f"{where}: channel type {int(value.type)} not in {channel_types}"
                )
            data = payloads.channel(value)
            if self.guild is not None and self.invoker is not None:
                data["permissions"] = str(self.guild.permissions_for(self.invoker, value))
            self.resolved.setdefault("channels", {})[str(value.id)] = data
            return value.id
        raise SandboxError(f"{where}: expected a sandbox Member/User/Role/Channel, got {value!r}")


def _expect(where: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    if isinstance(value, bool) and kind is not bool:
        raise SandboxError(f"{where}: expected {kind}, got a bool")
    if not isinstance(value, kind):
        raise SandboxError(f"{where}: expected {kind}, got {value!r}")
    return value


def _check_range(where: str, value: float, definition: dict[str, Any], low: str, high: str) -> None:
    if low in definition and value < definition[low]:
        raise SandboxError(f"{where}: {value} is below {low}={definition[low]}")
    if high in definition and value > definition[high]:
        raise SandboxError(f"{where}: {value} is above {high}={definition[high]}")
