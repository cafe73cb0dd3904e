"""Discord-style rate limits: headers on every response and an optional enforcement mode.

Buckets are fixed windows keyed by route and major parameter, like Discord's. When enforcement
is off the headers describe a fresh window (never ``Remaining: 0``) so discord.py does not
pre-emptively throttle a test; when on, they are exact and excess requests get a 429.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimitPolicy:
    """Limits to advertise and (in enforcement mode) apply."""

    global_per_second: int = 50
    messages_per_channel: int = 5
    message_window: float = 5.0
    route_limit: int = 50
    route_window: float = 1.0


@dataclass(slots=True)
class RateLimitStats:
    """Counters tests and benchmarks read."""

    requests: int = 0
    rate_limited: int = 0
    global_rate_limited: int = 0


@dataclass(frozen=True, slots=True)
class Decision:
    """Outcome of checking one request: headers to send and, if limited, the 429 details."""

    headers: dict[str, str]
    retry_after: float | None = None
    is_global: bool = False


@dataclass(slots=True)
class _Window:
    limit: int
    length: float
    reset_at: float
    count: int = 0

    def roll(self, now: float) -> None:
        if now >= self.reset_at:
            self.reset_at = now + self.length
            self.count = 0


class RateLimiter:
    """Track buckets and decide whether a request passes."""

    def __init__(self, policy: RateLimitPolicy, *, enforce: bool) -> None:
        self.policy = policy
        self.enforce = enforce
        self.stats = RateLimitStats()
        self._buckets: dict[tuple[str, str], _Window] = {}
        self._global = _Window(policy.global_per_second, 1.0, 0.0)

    def check(self, method: str, route: str, major: str, *, exempt_global: bool) -> Decision:
        """Count the request and return its headers (and a retry time when it must wait)."""
        now = time.monotonic()
        self.stats.requests += 1
        limit, length = self._limits(method, route)
        bucket_hash = hashlib.sha1(f"{method} {route}".encode(), usedforsecurity=False).hexdigest()[
            :16
        ]
        window = self._buckets.get((bucket_hash, major))
        if window is None:
            window = self._buckets[(bucket_hash, major)] = _Window(limit, length, now + length)
        window.roll(now)
        if self.enforce and not exempt_global:
            self._global.roll(now)
            if self._global.count >= self._global.limit:
                return self._limited(window, bucket_hash, self._global.reset_at - now, now, True)
        if self.enforce and window.count >= window.limit:
            return self._limited(window, bucket_hash, window.reset_at - now, now, False)
        window.count += 1
        if self.enforce and not exempt_global:
            self._global.count += 1
        return Decision(self._headers(window, bucket_hash, now))

    def _limits(self, method: str, route: str) -> tuple[int, float]:
        if method == "POST" and route == "/channels/{channel_id}/messages":
            return self.policy.messages_per_channel, self.policy.message_window
        return self.policy.route_limit, self.policy.route_window

    def _limited(
        self, window: _Window, bucket_hash: str, retry_after: float, now: float, is_global: bool
    ) -> Decision:
        self.stats.rate_limited += 1
        self.stats.global_rate_limited += int(is_global)
        retry_after = max(retry_after, 0.001)
        headers = self._headers(window, bucket_hash, now)
        headers["Retry-After"] = str(math.ceil(retry_after))
        headers["X-RateLimit-Scope"] = "global" if is_global else "user"
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return Decision(headers, round(retry_after, 3), is_global)

    def _headers(self, window: _Window, bucket_hash: str, now: float) -> dict[str, str]:
        if self.enforce:
            remaining = max(window.limit - window.count, 0)
            reset_after = max(window.reset_at - now, 0.0)
        else:
            remaining, reset_after = window.limit - 1, window.length
        return {
            "X-RateLimit-Limit": str(window.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash,
        }
