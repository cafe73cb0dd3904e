"""Acting as members: slash commands, autocomplete, button clicks, selects, modal submits.

A mixin of ``Sandbox`` so the facade keeps one flat, discoverable API (``sb.invoke(...)``)
while this file stays about one concern.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from discord_sandbox.errors import SandboxError
from discord_sandbox.gateway import Gateway
from discord_sandbox.interactions import CapturedModal
from discord_sandbox.invocations import Invoker
from discord_sandbox.model import Channel, Member, Message, User
from discord_sandbox.results import InteractionResult


class MemberActions:
    """What a member (``Member``, in a guild) or user (``User``, in DMs) can do to the bot."""

    gateway: Gateway
    _invoker: Invoker

    async def invoke(
        self,
        who: Member | User,
        command: str,
        *,
        options: Mapping[str, Any] | None = None,
        channel: Channel | None = None,
        locale: str | None = None,
        enforce_limits: bool = True,
    ) -> InteractionResult:
        """Run ``/command [group] [sub]`` as a member (guild) or user (DM).

        ``enforce_limits=False`` skips the choice and range checks a real client applies, to
        send what a crafted payload could.
        """
        self._require_session()
        return InteractionResult(
            self._invoker.command(
                who, command, options or {}, channel, locale, strict=enforce_limits
            )
        )

    async def autocomplete(
        self,
        who: Member | User,
        command: str,
        *,
        focused: str,
        options: Mapping[str, Any] | None = None,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Type into option ``focused`` and return the choices the bot suggested."""
        self._require_session()
        record = self._invoker.command(
            who, command, options or {}, channel, locale, focused=focused
        )
        response = await InteractionResult(record).response(timeout)
        if response.kind != "autocomplete":
            raise AssertionError(
                f"expected autocomplete choices, the bot answered {response.kind!r}"
            )
        return response.choices

    async def click(
        self, who: Member | User, message: Message, custom_id: str, *, locale: str | None = None
    ) -> InteractionResult:
        """Click the button ``custom_id`` on a message the bot sent."""
        self._require_session()
        return InteractionResult(self._invoker.component(who, message, custom_id, None, locale))

    async def select(
        self,
        who: Member | User,
        message: Message,
        custom_id: str,
        values: Sequence[str],
        *,
        locale: str | None = None,
    ) -> InteractionResult:
        """Pick ``values`` in the select menu ``custom_id`` on a message the bot sent."""
        self._require_session()
        return InteractionResult(self._invoker.component(who, message, custom_id, values, locale))

    async def submit_modal(
        self,
        who: Member | User,
        modal: CapturedModal,
        values: Mapping[str, Any],
        *,
        locale: str | None = None,
        enforce_limits: bool = True,
    ) -> InteractionResult:
        """Submit a modal the bot opened, with input values by custom_id.

        Discord's client refuses empty required inputs and text outside min/max length; pass
        ``enforce_limits=False`` to send such values anyway and test the bot's own checks.
        """
        self._require_session()
        record = self._invoker.modal(who, modal, values, locale, enforce_limits=enforce_limits)
        return InteractionResult(record)

    def _require_session(self) -> None:
        if not self.gateway.active:
            raise SandboxError("the bot has not connected to the sandbox gateway yet")
