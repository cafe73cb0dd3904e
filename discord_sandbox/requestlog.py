"""The request log: every REST call the bot made, for tests to filter and await.

Routes are recorded by template (``/channels/{channel_id}/messages``) as well as concrete path,
so a test can ask "did the bot post to any channel?" without knowing ids in advance.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discord_sandbox.signals import Changes


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One REST request and the sandbox's answer."""

    method: str
    route: str | None
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: tuple[tuple[str, int], ...]
    status: int
    error_code: int | None
    at: float
    duration: float

    @property
    def json(self) -> dict[str, Any]:
        """The JSON body (``payload_json`` for multipart) as a dict, ``{}`` when absent."""
        return self.body if isinstance(self.body, dict) else {}

    @property
    def unknown_route(self) -> bool:
        """True when no sandbox route matched (the bot called something unimplemented)."""
        return self.route is None

    def matches(self, method: str | None = None, route: str | None = None) -> bool:
        """Tell whether the method and route template match (None matches anything)."""
        return (method is None or self.method == method) and (route is None or self.route == route)


class RequestLog:
    """An append-only (bounded) list of recorded requests with awaitable matching."""

    def __init__(self, limit: int = 100_000) -> None:
        self._entries: deque[RecordedRequest] = deque(maxlen=limit)
        self.changes = Changes()

    def record(self, request: RecordedRequest) -> None:
        """Append one request and wake waiters."""
        self._entries.append(request)
        self.changes.notify()

    @property
    def all(self) -> list[RecordedRequest]:
        """Every kept request, oldest first."""
        return list(self._entries)

    @property
    def unknown(self) -> list[RecordedRequest]:
        """Requests to routes the sandbox does not implement."""
        return [r for r in self._entries if r.unknown_route]

    def filter(
        self, method: str | None = None, route: str | None = None, status: int | None = None
    ) -> list[RecordedRequest]:
        """Return the requests matching method, route template and status, oldest first."""
        return [
            r
            for r in self._entries
            if r.matches(method, route) and (status is None or r.status == status)
        ]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self._entries.clear()

    async def wait_for(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        """Return the first recorded request (past or future) satisfying ``predicate``."""

        def check() -> RecordedRequest | None:
            return next((r for r in self._entries if predicate(r)), None)

        return await self.changes.wait_for(check, timeout, "a matching request")
