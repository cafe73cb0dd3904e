"""What a weekly fan-out did, against the floor Discord's global rate limit allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from discord_sandbox.ratelimit import RateLimitPolicy

RATE_LIMITS = RateLimitPolicy()  # Discord's: 50 requests/s, 5 messages per 5 s per channel
GLOBAL_WINDOW_S = 1.0  # the sandbox's global limit counts requests in fixed 1-second windows


@dataclass(frozen=True)
class FanoutResult:
    """What one fan-out did, with its floor under Discord's global limit."""

    name: str
    servers: int
    members_per_server: int
    delivered: dict[str, int]  # Delivery.label -> counted in the sandbox
    expected: dict[str, int]
    needed_requests: int  # what the delivered things cost at the fewest requests
    seconds: float
    rate_limited: int
    global_rate_limited: int
    requests: dict[str, int]  # "METHOD route status" -> count, during the fan-out only
    peak_per_second: int  # most requests the sandbox answered in any sliding second
    outcomes: dict[str, int]  # what the jobs returned (their status), counted
    setup_s: float
    logged: list[str]  # warnings and errors the bot (or discord.py) logged meanwhile

    @property
    def floor_s(self) -> float:
        """The least time the global limit allows for the deliveries (requests / 50 per s)."""
        return self.needed_requests / RATE_LIMITS.global_per_second

    @property
    def ratio(self) -> float:
        """How many times the floor the fan-out took (infinite when nothing was needed)."""
        return self.seconds / self.floor_s if self.floor_s else float("inf")

    def as_json(self) -> dict[str, Any]:
        """Everything measured, plus the floor and the ratio."""
        return {
            "servers": self.servers,
            "members_per_server": self.members_per_server,
            "delivered": self.delivered,
            "expected": self.expected,
            "needed_requests": self.needed_requests,
            "seconds": self.seconds,
            "floor_s": self.floor_s,
            "ratio": self.ratio,
            "rate_limited": self.rate_limited,
            "global_rate_limited": self.global_rate_limited,
            "requests": self.requests,
            "peak_per_second": self.peak_per_second,
            "outcomes": self.outcomes,
            "setup_s": self.setup_s,
            "logged": self.logged,
        }


def peak_per_second(times: Sequence[float]) -> int:
    """Count the most of ``times`` within any one second (a sliding window over them, sorted)."""
    ordered, first, peak = sorted(times), 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= GLOBAL_WINDOW_S:
            first += 1
        peak = max(peak, last - first + 1)
    return peak
