"""What the bot reports as it works, and where it goes when nobody is listening.

Every command, scheduled post and database statement reports a reading. They are
only worth keeping when `/metrics` is served: counting costs a little on each of
them, and prometheus-client with what it imports about 1.5 MiB. So `build_app`
gives a bot without `monitoring.listen` an `Unheard`, which keeps nothing, and
imports `metrics.py` only when it serves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal, Protocol

PostResult = Literal["sent", "failed", "retried"]
ShardReading = tuple[int, bool, float]  # shard id, connected, heartbeat latency in seconds


class Readings(Protocol):
    """The small API the rest of the bot reports through."""

    def watch_shards(self, read: Callable[[], Iterable[ShardReading]]) -> None:
        """Read each shard's state and latency when someone asks."""

    def interaction(self, command: str, seconds: float, *, failed: bool = False) -> None:
        """Note one slash command's outcome and how long the member waited."""

    def post(self, kind: str, result: PostResult) -> None:
        """Note one scheduled post's outcome."""

    def query(self, seconds: float) -> None:
        """Note how long one database statement took."""


class Unheard:
    """Readings nobody can read (no `monitoring.listen`): each one is dropped at once."""

    def watch_shards(self, read: Callable[[], Iterable[ShardReading]]) -> None:
        """Nobody will ask."""

    def interaction(self, command: str, seconds: float, *, failed: bool = False) -> None:
        """Not kept."""

    def post(self, kind: str, result: PostResult) -> None:
        """Not kept."""

    def query(self, seconds: float) -> None:
        """Not kept."""
