"""The weekly fan-outs the benchmark measures: how each server is set up, what is delivered.

Each is a ``Fanout`` for ``fanout.measure_fanout``; add one here and to
``fanout_report.planned``. Setup goes through the bot's services (as /setup and /accountability
join would, without the interaction), and jobs are rebuilt by the bot's weekly-job registry,
exactly as after /setup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from benchmarks.fanout import Delivery, Fanout, Server
from bot.app import App
from discord_sandbox import Channel, Sandbox

FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # the Friday after fanout.START
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # the Monday after fanout.START
WEEKLY_THREAD = {"weekday": "monday", "time": "09:00", "timezone": "UTC"}


async def rebuild_jobs(app: App) -> None:
    """Rebuild every server's weekly jobs from the settings, as /setup does for one."""
    await app.bot.weekly_jobs.schedule()


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
    schedule=rebuild_jobs,
    deliveries=(Delivery("posts made", _posts, per_server=1),),
    due=FRIDAY_5PM,
)


async def _accountability_setup(app: App, server: Server) -> None:
    """Open the weekly thread in the server's #goals on Mondays at 09:00 UTC; everyone joins."""
    services = app.bot.services
    choices: dict[str, str | None] = {**WEEKLY_THREAD, "checkin": None, "recap": None}
    await services.setup.set_accountability(
        server.guild.id, server.members[0].id, server.channel.id, choices
    )
    for member in server.members:
        await services.accountability.join(server.guild.id, member.id)


def _threads(sb: Sandbox, servers: Sequence[Server]) -> list[Channel]:
    parents = {server.channel.id for server in servers}
    return [c for c in sb.world.channels.values() if c.is_thread and c.parent_id in parents]


def _threads_made(sb: Sandbox, servers: Sequence[Server]) -> int:
    """Threads in the servers' channels (each on a starter message: two requests)."""
    return len(_threads(sb, servers))


def _members_added(sb: Sandbox, servers: Sequence[Server]) -> int:
    """Members in those threads, the bot (in by creating them) left out."""
    bot_id = sb.world.bot_user.id
    return sum(len(t.thread_members.keys() - {bot_id}) for t in _threads(sb, servers))


def accountability(members: int) -> Fanout:
    """Describe the weekly threads opening in every server, each with ``members`` joined members.

    Per server: the starter message, the thread on it, then one add per member, so
    ``2 + members`` requests.
    """
    return Fanout(
        name="accountability",
        job_prefix="accountability:",
        setup=_accountability_setup,
        schedule=rebuild_jobs,
        deliveries=(
            Delivery("threads made", _threads_made, per_server=1, requests=2),
            Delivery("members added", _members_added, per_server=members),
        ),
        due=MONDAY_9AM,
        channel_name="goals",
        members_per_server=members,
    )
