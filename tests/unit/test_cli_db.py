"""`bounceback db backup | restore`: an operator's only copy is never clobbered or half written."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.storage.secret import ENV_VAR, load_secret, secret_file_for

WAL = "WAL"


@dataclass
class Install:
    """A bot's config, database (with one remembered value) and secret file."""

    config: Path
    database: Path

    def cli(self, *args: str) -> int:
        return main([*args, "--config", str(self.config)])

    @property
    def secret(self) -> Path:
        return secret_file_for(self.database)

    def remember(self, value: str) -> None:
        with closing(sqlite3.connect(self.database)) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO bot_meta VALUES ('marker', ?)", (value,))

    def recall(self) -> str:
        with closing(sqlite3.connect(self.database)) as conn:
            row = conn.execute("SELECT value FROM bot_meta WHERE key = 'marker'").fetchone()
        return str(row[0])


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    monkeypatch.delenv(ENV_VAR, raising=False)
    config = tmp_path / "config.yaml"
    config.write_text("database:\n  path: data/bot.db\n")
    found = Install(config, tmp_path / "data" / "bot.db")
    assert found.cli("db", "migrate") == 0
    load_secret(found.database)
    found.remember("before")
    return found


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_refuses_to_overwrite_without_force(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "keep.db"
    target.write_text("my only copy")
    assert install.cli("db", "backup", str(target)) == 1
    assert "--force" in capsys.readouterr().err
    assert target.read_text() == "my only copy"
    assert install.cli("db", "backup", str(target), "--force") == 0
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT value FROM bot_meta").fetchone() == ("before",)


def test_backup_reminds_that_the_secret_is_not_in_it(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "b.db"
    assert install.cli("db", "backup", str(target)) == 0
    err = capsys.readouterr().err
    assert str(install.secret) in err
    assert "--with-secret" in err
    assert not (tmp_path / "b.db.secret").exists()


def test_backup_with_secret_writes_a_private_copy(install: Install, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    assert install.cli("db", "backup", str(target), "--with-secret") == 0
    copy = tmp_path / "b.db.secret"
    assert copy.read_bytes() == install.secret.read_bytes()
    assert _private(copy)
    assert install.cli("db", "backup", str(target), "--with-secret") == 1  # both exist now


def test_restore_refuses_an_existing_database_without_force(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.db"
    assert install.cli("db", "backup", str(backup)) == 0
    install.remember("after")
    capsys.readouterr()
    assert install.cli("db", "restore", str(backup)) == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "--force" in err
    assert install.recall() == "after"
    assert install.cli("db", "restore", str(backup), "--force") == 0
    assert install.recall() == "before"


def test_restore_with_secret_onto_a_new_machine(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.db"
    assert install.cli("db", "backup", str(backup), "--with-secret") == 0
    old_secret = install.secret.read_bytes()
    install.database.unlink()
    install.secret.unlink()
    assert install.cli("db", "restore", str(backup), "--with-secret") == 0
    assert install.recall() == "before"
    assert install.secret.read_bytes() == old_secret
    assert _private(install.secret)
    assert "schema version" in capsys.readouterr().out


def test_restore_refuses_a_file_that_is_not_a_backup(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not a database at all, but long enough to look like a file header....")
    assert install.cli("db", "restore", str(junk), "--force") == 1
    assert "not a Bounceback database backup" in capsys.readouterr().err
    assert install.recall() == "before"
    assert not list(install.database.parent.glob(".*partial*"))


def test_restore_refuses_while_the_bot_has_the_database_open(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.db"
    assert install.cli("db", "backup", str(backup)) == 0
    install.remember("live")
    running = sqlite3.connect(install.database)  # opened the way the bot opens it
    try:
        running.execute(f"PRAGMA journal_mode = {WAL}")
        running.execute("SELECT 1 FROM bot_meta").fetchall()
        assert install.cli("db", "restore", str(backup), "--force") == 1
        assert "stop the bot first" in capsys.readouterr().err
    finally:
        running.close()
    assert install.recall() == "live"
