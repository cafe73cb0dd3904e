"""Which database the bot opens: the config's url, its path shorthand, or the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Config, DatabaseConfig, load_config
from bot.storage.connect import redacted
from bot.storage.placeholders import translate


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_no_setting_means_the_sqlite_file_beside_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOUNCEBACK_DATABASE_URL", raising=False)
    config = _config(tmp_path, "logging:\n  level: INFO\n")
    assert config.database_url == "sqlite:///./data/bounceback.db"
    assert config.uses_sqlite
    assert config.database_path == tmp_path.resolve() / "data" / "bounceback.db"


def test_a_postgresql_url_switches_backend_and_keeps_the_secret_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOUNCEBACK_DATABASE_URL", raising=False)
    config = _config(tmp_path, "database:\n  url: postgresql://bot@db:5432/bounceback\n")
    assert config.database_url == "postgresql://bot@db:5432/bounceback"
    assert not config.uses_sqlite
    assert config.database_path.parent == tmp_path.resolve() / "data"  # the secret file lives here


def test_the_environment_wins_so_a_password_stays_out_of_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOUNCEBACK_DATABASE_URL", "postgresql://bot:s3cret@db/bounceback")
    config = Config(database=DatabaseConfig(url="sqlite:///./other.db"))
    assert config.database_url == "postgresql://bot:s3cret@db/bounceback"
    assert redacted(config.database_url) == "postgresql://bot:***@db/bounceback"


def test_an_unknown_scheme_names_the_key_and_the_two_choices(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"database\.url.*sqlite:///.*postgresql://"):
        _config(tmp_path, "database:\n  url: mysql://bot@db/bounceback\n")


def test_placeholders_become_numbered_outside_quotes_comments_and_casts() -> None:
    named = translate("SELECT :g, x::text, ':g' -- :k?\nFROM t WHERE a = :g AND b = :k")
    assert named.sql == "SELECT $1, x::text, ':g' -- :k?\nFROM t WHERE a = $1 AND b = $2"
    assert named.arguments({"k": "key", "g": 7}) == [7, "key"]
    positional = translate("UPDATE t SET a = ? WHERE b = ? AND c = '?'")
    assert positional.sql == "UPDATE t SET a = $1 WHERE b = $2 AND c = '?'"
    with pytest.raises(ValueError, match="takes 2 parameters"):
        positional.arguments((1,))


def test_check_names_the_postgresql_database_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOUNCEBACK_DATABASE_URL", raising=False)
    config = tmp_path / "config.yaml"
    config.write_text("database:\n  url: postgresql://bot:s3cret@db/bounceback\n")
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "database: postgresql://bot:***@db/bounceback" in out
    assert "s3cret" not in out


def test_a_sqlite_install_never_loads_the_postgresql_driver() -> None:
    """The PostgreSQL driver costs about 3.7 MiB; a bot on the default SQLite file must not pay it."""
    script = (
        "import sys\n"
        "from bot.app import configured_database\n"
        "from bot.cli_db import db_copy\n"
        "from bot.config import Config\n"
        "configured_database(Config())\n"
        "print('asyncpg' in sys.modules)\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_a_bot_without_monitoring_loads_neither_the_http_server_nor_prometheus(
    tmp_path: Path,
) -> None:
    """Nobody can read the numbers without `monitoring.listen`: about 3.5 MiB not to pay."""
    script = (
        "import asyncio, sys\n"
        "from dataclasses import replace\n"
        "from bot.app import build_app\n"
        "from bot.config import Config, DatabaseConfig\n"
        "async def main():\n"
        "    app = await build_app(replace(Config(), database=DatabaseConfig(path=sys.argv[1])))\n"
        "    assert app.monitoring is None\n"
        "    await app.close()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('aiohttp.web', 'prometheus_client') if m in sys.modules))\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script, str(tmp_path / "bot.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
