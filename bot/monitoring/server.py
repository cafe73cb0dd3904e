"""Serve `/healthz` and `/metrics` on `monitoring.listen` (aiohttp, already a dependency)."""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.monitoring.health import HealthCheck
from bot.monitoring.metrics import Metrics

log = logging.getLogger(__name__)


async def serve_monitoring(listen: str, health: HealthCheck, metrics: Metrics) -> MonitoringServer:
    """Start serving /healthz and /metrics on `listen` (`monitoring.listen`)."""
    server = MonitoringServer(listen, health, metrics)
    await server.start()
    return server


class MonitoringServer:
    """A tiny HTTP server for load balancers, orchestrators and Prometheus."""

    def __init__(self, listen: str, health: HealthCheck, metrics: Metrics) -> None:
        host, _, port = listen.rpartition(":")
        self._host, self._port = host.strip("[]"), int(port)
        self._health = health
        self._metrics = metrics
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        """Bind and serve; the port is known afterwards (0 in the config picks a free one)."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        self._runner = runner
        server = site._server  # aiohttp keeps the bound socket here; the port may have been 0
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._port
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self._host, self.port)

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _: web.Request) -> web.Response:
        health = await self._health.check()
        return web.json_response(health.body(), status=200 if health.ok else 503)

    async def _metrics_page(self, _: web.Request) -> web.Response:
        body = self._metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
