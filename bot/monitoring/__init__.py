"""Health and metrics for operators: `/healthz` and `/metrics` on `monitoring.listen`.

`metrics.py` holds every number in a registry of its own (no global state) and the small
API the rest of the bot calls (`interaction`, `post`, `query`); `health.py` decides whether
this process is healthy (every shard connected, the database answering); `gateway.py` reads
shard state from the discord client and counts command outcomes; `server.py` serves both
endpoints. `build_app` wires them; nothing here is constructed anywhere else.
"""
