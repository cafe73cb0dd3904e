"""The real bot in a child process against the test's sandbox, so a test can SIGKILL it.

An in-process bot cannot crash for real: cancelling it runs `finally` blocks and
closes the database cleanly. A child process killed with SIGKILL stops between
two instructions, exactly like a machine losing power, and a second child on the
same database is the restart.

The child runs `python -m tests.e2e.bot_process --config ... --api-base ...`: the
same composition root as `bounceback run`, pointed at the sandbox's addresses,
logging to standard output, which the parent reads line by line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.conftest import REPO

if TYPE_CHECKING:
    import pytest

    from discord_sandbox import Sandbox
    from discord_sandbox.requestlog import RecordedRequest

START_TIMEOUT = 60.0


class BotProcess:
    """A running child bot: its log lines so far, and a way to kill it."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self._proc = proc
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._proc.stdout is not None
        while line := await self._proc.stdout.readline():
            async with self._changed:
                self.lines.append(line.decode(errors="replace").rstrip())
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()

    async def wait_for_line(
        self,
        predicate: Callable[[str], bool],
        timeout: float = START_TIMEOUT,  # noqa: ASYNC109
    ) -> str:
        """Return the first log line (past or future) matching `predicate`; fail if the bot exits."""

        def found() -> str | None:
            return next((line for line in self.lines if predicate(line)), None)

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: found() is not None or self._reader.done())
        line = found()
        if line is None:
            raise AssertionError("the bot exited first:\n" + "\n".join(self.lines[-30:]))
        return line

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def alive(self) -> bool:
        return self._proc.returncode is None and not self._reader.done()

    async def wait_until_dead(self, timeout: float = START_TIMEOUT) -> int:  # noqa: ASYNC109
        """Wait for the process to end (killed by the test); its exit status."""
        async with asyncio.timeout(timeout):
            code = await self._proc.wait()
            await self._reader
        return code

    def thaw(self) -> None:
        """Let a process frozen by `freeze_when` run on from where it stopped."""
        os.kill(self._proc.pid, signal.SIGCONT)

    async def terminate(self, timeout: float = START_TIMEOUT) -> None:  # noqa: ASYNC109
        """SIGTERM: the bot shuts down in order (with `via_cli`), writing what it queued."""
        self._proc.terminate()
        await self.wait_until_dead(timeout)

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing more is written."""
        if self._proc.returncode is None:
            self._proc.kill()
        await self._proc.wait()
        await self._reader


def sigkill_now(pid: int) -> None:
    """SIGKILL and wait until the process is dead, before the sandbox writes its answer."""
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):  # already reaped: dead all the same
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # leave reaping to asyncio


def kill_when(
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
    child: BotProcess,
    moment: Callable[[RecordedRequest], bool],
) -> None:
    """SIGKILL `child` as the sandbox records the first request `moment` picks.

    The sandbox records a request after serving it (or refusing it with a staged
    failure) and before the response goes out, so the bot dies not knowing the answer.
    """
    record = sandbox.requests.record

    def record_then_kill(entry: RecordedRequest) -> None:
        record(entry)
        if child.alive and moment(entry):
            sigkill_now(child.pid)

    monkeypatch.setattr(sandbox.requests, "record", record_then_kill)


def freeze_when(
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
    child: BotProcess,
    moment: Callable[[RecordedRequest], bool],
) -> None:
    """SIGSTOP `child` as the sandbox records the first request `moment` picks (see `kill_when`).

    The process stops between two instructions with everything in memory intact, as in a
    long pause, until `child.thaw()`.
    """
    record = sandbox.requests.record
    frozen = False

    def record_then_freeze(entry: RecordedRequest) -> None:
        nonlocal frozen
        record(entry)
        if not frozen and child.alive and moment(entry):
            frozen = True
            os.kill(child.pid, signal.SIGSTOP)
            os.waitid(os.P_PID, child.pid, os.WSTOPPED | os.WNOWAIT)

    monkeypatch.setattr(sandbox.requests, "record", record_then_freeze)


@contextlib.asynccontextmanager
async def bot_process(
    api_base: str,
    base_url: str,
    gateway_url: str,
    token: str,
    config: Path,
    *,
    via_cli: bool = False,
) -> AsyncIterator[BotProcess]:
    """Start a child bot on `config`; it is killed on leaving the block if still running.

    `via_cli` serves through `bounceback run`'s own loop (signal handlers and the
    ordered shutdown) instead of the bare composition root.
    """
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.bot_process",
        *(["--via-cli"] if via_cli else []),
        "--config",
        str(config),
        "--api-base",
        api_base,
        "--base-url",
        base_url,
        "--gateway-url",
        gateway_url,
        "--token",
        token,
        cwd=REPO,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    child = BotProcess(proc)
    try:
        yield child
    finally:
        await child.kill()


async def _serve(args: argparse.Namespace) -> None:
    from bot.app import build_app
    from bot.config import load_config
    from discord_sandbox.redirect import point_discord_at_url

    config = load_config(Path(args.config))
    with point_discord_at_url(args.base_url, args.api_base, args.gateway_url):
        if args.via_cli:
            from bot import cli

            raise SystemExit(await cli.serve(config, args.token))
        app = await build_app(config, guild_ready_timeout=0.05)
        try:
            await app.bot.login(args.token)
            await app.bot.connect(reconnect=True)
        finally:
            await app.close()


def main() -> None:
    """Child entry point: serve until killed."""
    parser = argparse.ArgumentParser()
    for name in ("--config", "--api-base", "--base-url", "--gateway-url", "--token"):
        parser.add_argument(name, required=True)
    parser.add_argument("--via-cli", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(
        stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
