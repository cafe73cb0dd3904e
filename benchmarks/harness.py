"""The parent's side of a measurement: a sandbox world, and the bot under test in a subprocess.

The sandbox runs in this (the parent) process; the bot runs alone in a child started from
``bot_process.py``, so its resident memory can be read from ``/proc`` without the sandbox's.
Nothing here sleeps: the child is waited for through its ``READY`` line, with a timeout, and
it is always stopped (and killed if it will not stop) on the way out.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from discord_sandbox import Channel, Member, Message, Sandbox

# "stock" is the bare bot on stock discord.py (asyncio's loop, no speed-ups), against which
# the shipped runtime is compared; "baseline" and "bounceback" share the runtime measured.
Kind = Literal["baseline", "bounceback", "stock"]
Runtime = Literal["shipped", "stock"]
KINDS: tuple[Kind, ...] = ("baseline", "bounceback")
BOT_PROCESS = Path(__file__).resolve().parent / "bot_process.py"
READY_WAIT = 120.0
STOP_WAIT = 15.0
MIB = 1024 * 1024
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_VMRSS = re.compile(r"^VmRSS:\s+(\d+) kB$", re.MULTILINE)


class BotProcessError(RuntimeError):
    """The bot process failed to start or to become ready; carries its stderr tail."""


@dataclass
class RunningBot:
    """A bot process that printed READY: its pid, start-up time and where it logs."""

    kind: Kind
    pid: int
    startup_s: float
    log: Path

    def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) the bot process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def rss_mib(self) -> float:
        """Resident memory of the bot process now (``VmRSS``), in MiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = _VMRSS.search(status)
        if match is None:
            raise BotProcessError(f"no VmRSS in /proc/{self.pid}/status")
        return int(match.group(1)) * 1024 / MIB


@dataclass
class World:
    """Who invokes commands where: members (rotated through) and the channel of each.

    ``opened`` holds each member's message whose button a pressing workload presses.
    """

    members: list[Member]
    channels: dict[int, Channel]
    opened: dict[int, Message] = field(default_factory=dict)
    invoked: int = 0

    def next_invoker(self) -> tuple[Member, Channel]:
        """Return the next invoker, round-robin over the whole run, and its guild's channel.

        One counter for the warm-up, every block and every burst, so a member is used at
        most ``ceil(calls / members)`` times: what a per-member limit needs.
        """
        member = self.members[self.invoked % len(self.members)]
        self.invoked += 1
        return member, self.channels[member.guild_id]


def build_world(
    sb: Sandbox, guilds: int, *, member_count: int, invoking_guilds: int = 0, invokers: int = 10
) -> World:
    """Create ``guilds`` guilds of ``member_count`` members, each with a text channel.

    The first ``invoking_guilds`` get ``invokers`` real members each to invoke commands as; the
    rest only report their size through ``member_count``, the sandbox's cheap way to build large
    worlds. Without the members intent GUILD_CREATE carries only the bot's member either way,
    as on Discord, so the bot sees the same thing.
    """
    members: list[Member] = []
    channels: dict[int, Channel] = {}
    for number in range(guilds):
        guild = sb.create_guild(f"Bench {number + 1}", member_count=member_count)
        channels[guild.id] = guild.create_text_channel("general")
        if number < invoking_guilds:
            members.extend(guild.add_members(invokers))
    return World(members, channels)


@contextlib.asynccontextmanager
async def bot_process(
    sb: Sandbox, kind: Kind, *, ready_timeout: float, workdir: Path, runtime: Runtime = "shipped"
) -> AsyncIterator[RunningBot]:
    """Start the ``kind`` bot against ``sb`` in a subprocess; yield it once READY, then stop it.

    The ``stock`` kind is the baseline bot on the stock runtime, whatever ``runtime`` says.
    """
    log = workdir / f"{kind}-{time.monotonic_ns()}.log"
    bot, runtime = ("baseline", "stock") if kind == "stock" else (kind, runtime)
    with log.open("wb") as stderr:
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(BOT_PROCESS),
            *("--kind", bot, "--runtime", runtime),
            *("--base-url", sb.base_url, "--api-base", sb.api_base),
            *("--gateway-url", sb.gateway_url, "--token", sb.token),
            *("--ready-timeout", str(ready_timeout)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
        try:
            ready_at = await _ready_line(proc, log)
            yield RunningBot(kind, proc.pid, ready_at - started, log)
            await _stop(proc, log)
        finally:
            await _kill(proc)


async def _ready_line(proc: asyncio.subprocess.Process, log: Path) -> float:
    """Return the monotonic time the child printed in its READY line."""
    if proc.stdout is None:
        raise BotProcessError("the bot process was started without a stdout pipe")
    try:
        async with asyncio.timeout(READY_WAIT):
            while line := await proc.stdout.readline():
                word, _, value = line.decode().strip().partition(" ")
                if word == "READY":
                    return float(value)
    except TimeoutError:
        raise BotProcessError(f"no READY after {READY_WAIT:g}s\n{_tail(log)}") from None
    raise BotProcessError(f"the bot process exited before READY\n{_tail(log)}")


async def _stop(proc: asyncio.subprocess.Process, log: Path) -> None:
    """Ask for a clean stop by closing stdin; a non-zero exit is an error worth seeing."""
    if proc.stdin is None:
        raise BotProcessError("the bot process was started without a stdin pipe")
    proc.stdin.close()
    try:
        code = await asyncio.wait_for(proc.wait(), STOP_WAIT)
    except TimeoutError:
        raise BotProcessError(f"the bot did not stop within {STOP_WAIT:g}s") from None
    if code != 0:
        raise BotProcessError(f"the bot process exited with {code}\n{_tail(log)}")


async def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()
        await proc.wait()


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
