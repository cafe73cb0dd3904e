"""Run one of the benchmark scripts as a user would, for the smoke tests that check it works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

QUICK_S = 120  # the --quick runs
POSTGRES_S = 600  # the runs against the test PostgreSQL server


def run_benchmark(
    script: str, *args: str | Path, postgres: str | None = None, timeout: float = QUICK_S
) -> str:
    """Run `benchmarks/<script>` with this interpreter from the repo root; return its output.

    A non-zero exit fails the calling test with everything the script printed. `postgres`
    is the server URL the PostgreSQL benchmarks read from BOUNCEBACK_BENCH_POSTGRES_URL.
    """
    env = dict(os.environ)
    if postgres is not None:
        env["BOUNCEBACK_BENCH_POSTGRES_URL"] = postgres
    done = subprocess.run(  # noqa: S603 - this interpreter on the repo's own script, no shell
        [sys.executable, str(REPO / "benchmarks" / script), *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
