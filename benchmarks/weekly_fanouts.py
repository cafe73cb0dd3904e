"""The weekly fan-outs the benchmark measures: how each server is set up, what is delivered.

Each is a ``Fanout`` for ``fanout.measure_fanout``; add one here and to ``FANOUTS`` in
``run.py``. Setup goes through the bot's services (as /setup would, without the interaction),
and jobs are rebuilt by the feature's cog, exactly as after /setup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from benchmarks.fanout import Fanout, Server
from bot.app import App
from bot.sandbox import Sandbox

FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # the Friday after fanout.START


def cog_schedule(cog_name: str) -> Callable[[App], Awaitable[None]]:
    """Rebuild the jobs with the named cog's ``schedule()``, as /setup does.

    Looked up by name, not class: discord.py loads each extension as a fresh module, so its
    classes are not the ones this module could import.
    """

    async def schedule(app: App) -> None:
        rebuild = getattr(app.bot.get_cog(cog_name), "schedule", None)
        if rebuild is None:
            raise RuntimeError(f"no loaded cog {cog_name!r} with a schedule() method")
        await rebuild()

    return schedule


async def _celebration_setup(app: App, server: Server) -> None:
    """Celebrate in the server's #wins on Fridays at 17:00 UTC; every other server has a win."""
    services = app.bot.services
    organiser = server.members[0].id
    await services.setup.set_celebrations(
        server.guild.id, organiser, server.channel.id, "friday", "17:00", "UTC"
    )
    if server.number % 2 == 0:
        await services.wins.add(server.guild.id, organiser, "Sent three applications", False)


def _posts(sb: Sandbox, servers: Sequence[Server]) -> int:
    """Messages with an embed in the servers' channels (the celebration posts)."""
    return sum(1 for s in servers for m in s.channel.messages if m.embeds and not m.deleted)


CELEBRATION = Fanout(
    name="celebration",
    job_prefix="celebration:",
    setup=_celebration_setup,
    schedule=cog_schedule("Wins"),
    delivered=_posts,
    per_server=1,
    due=FRIDAY_5PM,
)
