"""Count scheduled posts by kind and result, around each weekly feature the scheduler runs.

The features report every run as an outcome (`sent`, `failed`, `not-due`, ...); wrapping them
here counts the outcomes that are posts without the features or the scheduler knowing about
metrics. Retries happen inside a run, in the leases' retry loop (`services/weekly_runs.py`),
which counts each through `count_retried_post`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain.schedule import Weekly
from bot.domain.shards import Owns
from bot.monitoring.readings import Readings
from bot.scheduling import Outcome, WeeklyFeature


class CountedFeature:
    """A `WeeklyFeature` that counts its sent and failed posts in `/metrics`."""

    def __init__(self, feature: WeeklyFeature, metrics: Readings) -> None:
        self._feature = feature
        self._metrics = metrics

    async def weekly_slots(self, guild_id: int | None = None) -> Mapping[int, Mapping[str, Weekly]]:
        """Return the wrapped feature's slots."""
        return await self._feature.weekly_slots(guild_id)

    async def run(self, guild_id: int, kind: str) -> Outcome:
        """Run the wrapped feature's post and count it."""
        outcome = await self._feature.run(guild_id, kind)
        self._count(outcome)
        return outcome

    async def catch_up(self, owns: Owns) -> Sequence[Outcome]:
        """Run the wrapped feature's catch-up and count every post it made or failed."""
        return self._count_all(await self._feature.catch_up(owns))

    async def resume_lapsed(self, owns: Owns) -> Sequence[Outcome]:
        """Finish the wrapped feature's lapsed leases and count what that posted or failed."""
        return self._count_all(await self._feature.resume_lapsed(owns))

    def _count_all(self, outcomes: Sequence[Outcome]) -> Sequence[Outcome]:
        for outcome in outcomes:
            self._count(outcome)
        return outcomes

    def _count(self, outcome: Outcome) -> None:
        if outcome.status == "sent":
            self._metrics.post(outcome.kind, "sent")
        elif outcome.status == "failed":
            self._metrics.post(outcome.kind, "failed")


def count_retried_post(metrics: Readings, kind: str) -> None:
    """Count one more try of a weekly post after a transient failure (a 5xx, a timeout)."""
    metrics.post(kind, "retried")
