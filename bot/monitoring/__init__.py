"""Health and metrics for operators: `/healthz` and `/metrics` on `monitoring.listen`.

`readings.py` is the small API the rest of the bot reports through (`interaction`, `post`,
`query`) and `Unheard`, which keeps nothing when no `/metrics` is served; `metrics.py` holds
every number in a Prometheus registry of its own (no global state); `health.py` decides whether
this process is healthy (every shard connected, the database answering); `gateway.py` reads
shard state from the discord client and counts command outcomes; `server.py` serves both
endpoints. `build_app` wires them; nothing here is constructed anywhere else.
"""
