"""Render what happened in the sandbox as a readable chat transcript.

People read the demo to learn what the bot feels like, so the transcript
shows who typed what, what the bot answered, which replies only the member
could see, and embeds and buttons as plain text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

WIDTH = 88
BAR = "  │ "
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def find_button(components: Iterable[Mapping[str, Any]], label: str) -> str:
    """Return the custom_id of the button with `label` (searching inside action rows)."""
    for row in components:
        for item in row.get("components") or [row]:
            if item.get("label") == label and "custom_id" in item:
                return str(item["custom_id"])
    raise LookupError(f"no button labelled {label!r}")


def _wrap(text: str, indent: str = BAR) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, WIDTH - len(indent)) or [""]
        lines.extend(indent + line for line in wrapped)
    return lines


def render_embed(embed: Mapping[str, Any]) -> list[str]:
    """Render an embed as boxed text: title, description, fields and footer."""
    lines: list[str] = []
    if embed.get("title"):
        lines.append(f"{BAR}**{embed['title']}**")
    if embed.get("description"):
        lines.extend(_wrap(str(embed["description"])))
    for field in embed.get("fields") or []:
        lines.append(f"{BAR}{field['name']}:")
        lines.extend(_wrap(str(field["value"]), BAR + "  "))
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.extend(_wrap(f"— {footer}"))
    return lines


def render_components(components: Iterable[Mapping[str, Any]]) -> list[str]:
    """Buttons and selects as `[Label]` on one line per row."""
    lines = []
    for row in components:
        items = row.get("components") or [row]
        labels = [
            f"[{i.get('label') or i.get('placeholder') or i.get('custom_id')}]" for i in items
        ]
        if labels:
            lines.append("  " + " ".join(labels))
    return lines


def render_reply(
    who: str, data: Mapping[str, Any], *, ephemeral: bool, verb: str = "answers"
) -> list[str]:
    """One bot message: header, content, embeds, components and attachments."""
    private = f" (only {who} can see this)" if ephemeral else ""
    lines = [f"Bounceback {verb}{private}:"]
    if data.get("content"):
        lines.extend(_wrap(str(data["content"]), "  "))
    for embed in data.get("embeds") or []:
        lines.extend(render_embed(embed))
    for attachment in data.get("attachments") or []:
        lines.append(f"  📎 {attachment.get('filename', 'file')}")
    lines.extend(render_components(data.get("components") or []))
    return lines


def option_text(value: object) -> str:
    """How Discord shows an option value: channels as #name, people and roles as @name."""
    name = getattr(value, "name", None)
    if name is not None and hasattr(value, "type"):
        return f"#{name}"
    user = getattr(value, "user", None)
    if user is not None:
        return f"@{user.global_name or user.username}"
    return f"@{name}" if name is not None else str(value)


def relative_time(when: datetime, now: datetime) -> str:
    """Render a `<t:..:R>` stamp as a reader's client shows it: "in 7 days", "3 hours ago"."""
    seconds = int((when - now).total_seconds())
    if seconds == 0:
        return "now"
    count, unit = next(
        (abs(seconds) // size, name) for name, size in _UNITS if abs(seconds) >= size
    )
    amount = f"{count} {unit}" + ("" if count == 1 else "s")
    return f"in {amount}" if seconds > 0 else f"{amount} ago"


def form_labels(components: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Map each form input's custom_id to the label a member sees above it."""
    labels: dict[str, str] = {}

    def walk(component: Mapping[str, Any], label: str | None) -> None:
        label = component.get("label") or label
        if "custom_id" in component and label:
            labels[str(component["custom_id"])] = str(label)
        for child in component.get("components") or []:
            walk(child, label)
        if isinstance(component.get("component"), Mapping):
            walk(component["component"], label)

    for component in components:
        walk(component, None)
    return labels


def render_command(who: str, channel: str, command: str, options: Mapping[str, object]) -> str:
    """Render a typed command as its transcript line: `alice in #general: /tip topic:x`."""
    shown = " ".join(f"{k}:{option_text(v)}" for k, v in options.items())
    return f"\n{who} in {channel}: /{command}" + (f" {shown}" if shown else "")
