"""What makes the processes of a cluster act as one bot, wired beside the composition root.

Every process polls the cluster's change counters (`services/cluster_versions.py`) on the
scheduler, so a `/tips reload` or a `/forget-me` in one process reaches all of them within
`CLUSTER_POLL_SECONDS`. Polling rather than PostgreSQL's LISTEN/NOTIFY keeps one mechanism
for both backends; the read is one indexed query, so every two seconds costs nothing.

Discord's global limit (50 requests/s) is per bot token, not per connection, so the
processes share it: each paces its scheduled posts with an equal share of the slots,
`PACING_SLOTS // processes`, the number of processes read off the shard plan. A cluster
whose processes run unequal numbers of shards should give each the smaller share.
"""

from __future__ import annotations

import logging

from bot.delivery import PACING_SLOTS
from bot.domain.shards import ShardPlan
from bot.scheduling import Scheduler
from bot.services.cluster_versions import ClusterVersions
from bot.storage.port import StorageError

log = logging.getLogger(__name__)

CLUSTER_POLL_SECONDS = 2.0
POLL_JOB = "cluster-versions"


def pacing_share(plan: ShardPlan) -> int:
    """Return this process's slots of the token's global budget (all of them when alone)."""
    return max(1, PACING_SLOTS // plan.processes)


async def follow_cluster(scheduler: Scheduler, versions: ClusterVersions) -> None:
    """Take the counters as they are now, then poll them for other processes' changes."""

    async def poll() -> None:
        try:
            await versions.poll()
        except StorageError as error:  # the database is away: the next poll catches up
            log.warning("could not read the cluster's change counters: %s", error)

    await versions.poll()
    scheduler.every(POLL_JOB, CLUSTER_POLL_SECONDS, poll)
