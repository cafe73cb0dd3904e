"""What a test gets back from an interaction: the bot's response, edits and follow-ups.

``InteractionResult`` is returned immediately after the interaction is dispatched; its async
methods wait (with timeouts, never sleeps) for the bot to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from discord_sandbox.interactions import CapturedModal, InteractionRecord
from discord_sandbox.messages import UploadedFile
from discord_sandbox.model import Message

ResponseKind = Literal[
    "pong", "message", "deferred", "deferred_update", "update", "autocomplete", "modal", "other"
]
_KINDS: dict[int, ResponseKind] = {
    1: "pong",
    4: "message",
    5: "deferred",
    6: "deferred_update",
    7: "update",
    8: "autocomplete",
    9: "modal",
}


@dataclass(frozen=True, slots=True)
class SentFile:
    """A file the bot attached to a response: name and exact bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class InteractionResponse:
    """A typed view of the bot's first (and only) callback for an interaction."""

    type: int
    kind: ResponseKind
    data: dict[str, Any]
    files: tuple[SentFile, ...] = ()
    message: Message | None = None
    modal: CapturedModal | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def content(self) -> str | None:
        """Message content as sent in the callback (None when not sent)."""
        content = self.data.get("content")
        return None if content is None else str(content)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Embeds as sent (Discord's JSON dicts)."""
        return list(self.data.get("embeds") or [])

    @property
    def components(self) -> list[dict[str, Any]]:
        """Components (action rows, buttons, selects) as sent."""
        return list(self.data.get("components") or [])

    @property
    def flags(self) -> int:
        """Message flags from the callback data."""
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """True when only the member sees the reply (flag 64)."""
        return bool(self.flags & 64)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """``allowed_mentions`` exactly as the bot sent it."""
        value = self.data.get("allowed_mentions")
        return dict(value) if isinstance(value, dict) else None

    @property
    def attachments(self) -> tuple[SentFile, ...]:
        """Uploaded files (alias of ``files``)."""
        return self.files


class InteractionResult:
    """Everything the bot did in answer to one interaction, awaitable as it happens."""

    def __init__(self, record: InteractionRecord) -> None:
        self._record = record

    def __repr__(self) -> str:
        return f"<InteractionResult id={self.id} type={self._record.type}>"

    @property
    def id(self) -> int:
        """The interaction id."""
        return self._record.id

    @property
    def payload(self) -> dict[str, Any]:
        """The INTERACTION_CREATE payload sent to the bot."""
        return self._record.payload

    @property
    def responded(self) -> bool:
        """True once the bot sent its callback."""
        return self._record.callback is not None

    @property
    def original(self) -> Message | None:
        """The response message (live: reflects later edits), if any."""
        return self._record.original

    @property
    def followups(self) -> list[Message]:
        """Follow-up messages so far, in order."""
        return list(self._record.followups)

    @property
    def edits(self) -> list[dict[str, Any]]:
        """Bodies of every ``PATCH @original``, in order."""
        return list(self._record.original_edits)

    async def response(self, timeout: float = 5.0) -> InteractionResponse:  # noqa: ASYNC109
        """Wait for the bot's callback and return a typed view of it."""
        record = self._record

        def check() -> InteractionResponse | None:
            callback = record.callback
            if callback is None:
                return None
            modal = _modal(record, callback.data) if callback.type == 9 else None
            return InteractionResponse(
                type=callback.type,
                kind=_KINDS.get(callback.type, "other"),
                data=callback.data,
                files=tuple(SentFile(f.filename, f.data) for f in _files(callback.files)),
                message=callback.message,
                modal=modal,
                choices=list(callback.data.get("choices") or []) if callback.type == 8 else [],
            )

        return await record.changes.wait_for(check, timeout, f"a response to interaction {self.id}")

    async def final(self, timeout: float = 5.0) -> Message:  # noqa: ASYNC109
        """Wait for the response message to be complete (not "thinking") and return it."""
        record = self._record

        def check() -> Message | None:
            message = record.original
            return message if message is not None and not message.loading else None

        return await record.changes.wait_for(check, timeout, f"the final message of {self.id}")

    async def followup(self, index: int = 0, timeout: float = 5.0) -> Message:  # noqa: ASYNC109
        """Wait for the ``index``-th follow-up message (0-based)."""
        record = self._record

        def check() -> Message | None:
            return record.followups[index] if len(record.followups) > index else None

        return await record.changes.wait_for(check, timeout, f"follow-up #{index} of {self.id}")

    async def modal(self, timeout: float = 5.0) -> CapturedModal:  # noqa: ASYNC109
        """Wait for the response and return the modal it opened (fails if it was not a modal)."""
        response = await self.response(timeout)
        if response.modal is None:
            raise AssertionError(f"expected a modal, the bot answered with {response.kind!r}")
        return response.modal


def _files(files: list[UploadedFile]) -> list[UploadedFile]:
    return sorted(files, key=lambda f: f.index)


def _modal(record: InteractionRecord, data: dict[str, Any]) -> CapturedModal:
    message = record.source_message
    return CapturedModal(
        custom_id=str(data.get("custom_id", "")),
        title=str(data.get("title", "")),
        components=list(data.get("components") or []),
        interaction_id=record.id,
        user_id=record.user.id,
        guild_id=record.guild_id,
        channel_id=record.channel_id,
        message_id=message.id if message is not None else None,
    )
