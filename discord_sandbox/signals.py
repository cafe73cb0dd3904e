"""A waitable "something changed" notifier.

Tests must never sleep to wait for the bot: every store in the sandbox owns a ``Changes`` and
calls ``notify()`` after each mutation, and ``wait_for`` re-checks a predicate on each change
until it holds or the timeout passes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from discord_sandbox.errors import SandboxTimeout

T = TypeVar("T")


class Changes:
    """Wake every waiter whenever ``notify`` is called."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake current waiters so they re-check their condition."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, check: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        """Return the first non-None result of ``check``, re-evaluated after every change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SandboxTimeout(f"timed out after {timeout:g}s waiting for {what}")
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue
