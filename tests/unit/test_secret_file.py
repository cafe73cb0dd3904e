"""The member-key secret file: one secret, complete and private, however the bot starts.

Two shards of a new cluster (or a deploy's overlap) reach `load_secret` together;
if one of them crashed or kept a different secret, members' rejection counts
would split across two keys.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from bot.storage.secret import SecretError, load_secret, secret_file_for

PROCESSES = 6
ROUNDS = 5


def _load_after(barrier_and_database: tuple[object, Path]) -> bytes:
    barrier, database = barrier_and_database
    barrier.wait(timeout=30)  # type: ignore[attr-defined]
    return load_secret(database, environ={})


def test_processes_starting_together_share_one_complete_secret(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(PROCESSES) as pool:
        for round_number in range(ROUNDS):
            database = tmp_path / f"round-{round_number}" / "bounceback.db"
            barrier = manager.Barrier(PROCESSES)
            secrets = pool.map(_load_after, [(barrier, database)] * PROCESSES, chunksize=1)
            assert len(set(secrets)) == 1, f"round {round_number}: {len(set(secrets))} secrets"
            assert len(secrets[0]) == 64
            path = secret_file_for(database)
            assert path.read_bytes().strip() == secrets[0]
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert sorted(p.name for p in path.parent.iterdir()) == ["bounceback.secret"]


def test_a_secret_file_cut_short_is_refused_with_a_way_out(tmp_path: Path) -> None:
    database = tmp_path / "bounceback.db"
    secret_file_for(database).write_text("\n", encoding="ascii")
    with pytest.raises(SecretError, match="empty or cut short; restore it from your backup"):
        load_secret(database, environ={})


def test_a_filesystem_without_hard_links_still_gets_one_private_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network shares refuse `link`; the secret is then created exclusively in place."""

    def no_hard_links(source: str, target: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted", str(target))

    monkeypatch.setattr(os, "link", no_hard_links)
    database = tmp_path / "bounceback.db"
    first = load_secret(database, environ={})
    assert len(first) == 64
    assert load_secret(database, environ={}) == first
    path = secret_file_for(database)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bounceback.secret"]
