"""Interaction records: what the sandbox sent the bot and everything the bot answered.

Each INTERACTION_CREATE gets a record keyed by id and token. REST handlers for callbacks,
``@original`` and follow-ups write into it; ``InteractionResult`` reads it for tests.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from discord_sandbox.errors import unknown_interaction, unknown_webhook
from discord_sandbox.messages import UploadedFile
from discord_sandbox.model import Message, User
from discord_sandbox.signals import Changes

#: Interaction types (what the member did).
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class CapturedModal:
    """A modal the bot opened (callback type 9), enough to submit it later."""

    custom_id: str
    title: str
    components: list[dict[str, Any]]
    interaction_id: int
    user_id: int
    guild_id: int | None
    channel_id: int
    message_id: int | None

    @property
    def input_ids(self) -> list[str]:
        """custom_ids of every input in the modal, in display order."""
        found: list[str] = []

        def walk(component: dict[str, Any]) -> None:
            if "custom_id" in component:
                found.append(component["custom_id"])
            for child in component.get("components") or []:
                walk(child)
            if isinstance(component.get("component"), dict):
                walk(component["component"])

        for component in self.components:
            walk(component)
        return found


@dataclass(eq=False)
class Callback:
    """The bot's one interaction callback (``POST .../callback``)."""

    type: int
    data: dict[str, Any]
    files: list[UploadedFile]
    message: Message | None


@dataclass(eq=False)
class InteractionRecord:
    """One interaction from creation to its last follow-up."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    user: User
    guild_id: int | None
    channel_id: int
    source_message: Message | None = None
    created: float = field(default_factory=time.monotonic)
    callback: Callback | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    original_edits: list[dict[str, Any]] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    @property
    def age(self) -> float:
        """Seconds since the interaction was dispatched."""
        return time.monotonic() - self.created


class InteractionStore:
    """Recent interactions by id and token (bounded, oldest forgotten first)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._by_id: OrderedDict[int, InteractionRecord] = OrderedDict()
        self._by_token: dict[str, InteractionRecord] = {}

    def add(self, record: InteractionRecord) -> None:
        """Remember a new interaction."""
        self._by_id[record.id] = record
        self._by_token[record.token] = record
        while len(self._by_id) > self._limit:
            _, old = self._by_id.popitem(last=False)
            self._by_token.pop(old.token, None)

    def for_callback(self, interaction_id: int, token: str) -> InteractionRecord:
        """Return the record a callback targets, or raise 404 10062."""
        record = self._by_id.get(interaction_id)
        if record is None or record.token != token:
            raise unknown_interaction()
        return record

    def for_webhook(self, application_id: int, token: str) -> InteractionRecord:
        """Return the record an interaction webhook targets, or raise 404 10015."""
        record = self._by_token.get(token)
        if record is None or int(record.payload["application_id"]) != application_id:
            raise unknown_webhook()
        return record

    def __len__(self) -> int:
        return len(self._by_id)
