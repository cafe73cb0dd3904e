"""Message and modal components as a member meets them: find, validate, fill in.

Clicking a component that is not on the message, picking a value that is not an option, or
leaving a required modal input empty raises ``SandboxError`` in the test, because a real
Discord client could never send such an interaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from discord_sandbox.errors import SandboxError

SELECT_TYPES = (3, 5, 6, 7, 8)


def walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, depth first (rows, containers, sections, labels)."""
    for component in components:
        yield component
        yield from walk(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk([component[key]])


def checked_values(component: dict[str, Any], values: list[str]) -> list[str]:
    """Select values, checked against min/max and (string selects) the options."""
    low, high = component.get("min_values", 1), component.get("max_values", 1)
    if not low <= len(values) <= high:
        raise SandboxError(
            f"select {component['custom_id']!r} takes {low}..{high} values, got {len(values)}"
        )
    if component["type"] == 3:
        allowed = [o["value"] for o in component.get("options") or []]
        bad = [v for v in values if v not in allowed]
        if bad:
            raise SandboxError(
                f"select {component['custom_id']!r} has no option {bad}; it has {allowed}"
            )
    return values


def submitted(
    component: dict[str, Any], values: Mapping[str, Any], *, enforce_limits: bool = True
) -> dict[str, Any]:
    """Return the MODAL_SUBMIT shape of one modal component, filled from ``values``.

    ``enforce_limits=False`` skips the checks Discord's client makes (required, min/max
    length), to test a bot's own validation as if a modified client had sent the values.
    """
    kind = component["type"]
    result: dict[str, Any] = {"type": kind}
    if "id" in component:
        result["id"] = component["id"]
    if kind == 1:
        children = component.get("components") or []
        result["components"] = [
            submitted(c, values, enforce_limits=enforce_limits) for c in children
        ]
    elif kind == 18:
        result["component"] = submitted(
            component["component"], values, enforce_limits=enforce_limits
        )
    elif kind == 4:
        custom_id = component["custom_id"]
        value = str(values.get(custom_id, component.get("value") or ""))
        if enforce_limits and component.get("required", True) and not value:
            raise SandboxError(f"modal input {custom_id!r} is required")
        low, high = component.get("min_length", 0), component.get("max_length", 4000)
        if enforce_limits and value and not low <= len(value) <= high:
            raise SandboxError(f"modal input {custom_id!r} must be {low}..{high} characters long")
        result |= {"custom_id": custom_id, "value": value}
    elif kind in SELECT_TYPES:
        chosen = values.get(component["custom_id"], [])
        result |= {
            "custom_id": component["custom_id"],
            "values": checked_values(component, list(chosen)),
        }
    elif kind == 10:
        result["content"] = component.get("content", "")
    return result
