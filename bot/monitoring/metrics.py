"""Every number `/metrics` shows, in a Prometheus registry owned by one `Metrics` object.

The registry is built in `build_app` rather than taken from prometheus-client's global
default, so two bots in one test process never share counters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.monitoring.readings import PostResult, ShardReading

# Interaction replies: Discord allows 3 s; members notice from about a quarter second.
RESPONSE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0)


class _Shards(Collector):
    """Reads shard state at scrape time, so the numbers are never stale."""

    def __init__(self, read: Callable[[], Iterable[ShardReading]]) -> None:
        self._read = read

    def collect(self) -> Iterable[GaugeMetricFamily]:
        connected = GaugeMetricFamily(
            "bounceback_shard_connected",
            "1 while the shard's gateway session is up",
            labels=["shard"],
        )
        latency = GaugeMetricFamily(
            "bounceback_gateway_latency_seconds",
            "Time between the shard's last heartbeat and its acknowledgement",
            labels=["shard"],
        )
        for shard, up, seconds in self._read():
            connected.add_metric([str(shard)], 1.0 if up else 0.0)
            latency.add_metric([str(shard)], seconds)
        yield connected
        yield latency


class Metrics:
    """Counters and histograms for interactions, scheduled posts, the database and content."""

    def __init__(self, content_version: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self._handled = Counter(
            "bounceback_interactions_handled",
            "Slash commands answered without an error, by command",
            ["command"],
            registry=registry,
        )
        self._failed = Counter(
            "bounceback_interactions_failed",
            "Slash commands that ended in an error, by command",
            ["command"],
            registry=registry,
        )
        self._response = Histogram(
            "bounceback_interaction_response_seconds",
            "From the interaction's creation to the end of its handling",
            buckets=RESPONSE_BUCKETS,
            registry=registry,
        )
        self._posts = Counter(
            "bounceback_scheduled_posts",
            "Scheduled posts by kind and result (sent, failed, retried)",
            ["kind", "result"],
            registry=registry,
        )
        self._query = Histogram(
            "bounceback_database_query_seconds",
            "Each database statement, timed by the storage adapter (SQLite or PostgreSQL)",
            buckets=QUERY_BUCKETS,
            registry=registry,
        )
        version = Gauge(
            "bounceback_content_version",
            "Content library version this process serves (reloads since it started)",
            registry=registry,
        )
        version.set_function(content_version)

    def watch_shards(self, read: Callable[[], Iterable[ShardReading]]) -> None:
        """Report each shard's state and latency, read from the client at every scrape."""
        self.registry.register(_Shards(read))

    def interaction(self, command: str, seconds: float, *, failed: bool = False) -> None:
        """Count one slash command's outcome and how long the member waited."""
        (self._failed if failed else self._handled).labels(command=command).inc()
        self._response.observe(max(seconds, 0.0))

    def post(self, kind: str, result: PostResult) -> None:
        """Count a scheduled post (the scheduling code calls this)."""
        self._posts.labels(kind=kind, result=result).inc()

    def query(self, seconds: float) -> None:
        """Record one database statement (the storage adapters call this)."""
        self._query.observe(seconds)

    def render(self) -> bytes:
        """Return the registry in the Prometheus text format."""
        return generate_latest(self.registry)
