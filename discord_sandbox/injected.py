"""Failures a test asks for on purpose: the next N requests to a route answer 429 or 5xx.

Discord's real rate limits are advertised in headers, so a well-behaved client
rarely meets a 429 in a test; this lets tests prove that a 429 or a server
error is retried without the action happening twice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class InjectedFailure:
    """Answer `status` to the next `remaining` requests matching method and route template."""

    method: str
    route: str
    status: int
    retry_after: float
    remaining: int
    after: bool = False  # serve the request, then answer the failure (the client cannot tell)
    channel_id: int | None = None  # only requests to this channel (None: any)


class FailurePlan:
    """The queue of staged failures, consumed by the HTTP middleware."""

    def __init__(self) -> None:
        self._items: list[InjectedFailure] = []
        self.served = 0

    def add(self, failure: InjectedFailure) -> None:
        """Stage `failure` behind any already staged; they are served in order."""
        self._items.append(failure)

    def take(
        self, method: str, route: str, channel_id: str | None = None
    ) -> InjectedFailure | None:
        """Use up one answer of the first staged failure for this request (None: serve it)."""
        for item in self._items:
            if item.channel_id is not None and str(item.channel_id) != channel_id:
                continue
            if item.remaining > 0 and item.method == method and item.route == route:
                item.remaining -= 1
                self.served += 1
                return item
        return None
