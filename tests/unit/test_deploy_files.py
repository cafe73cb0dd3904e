"""The files a self-hoster deploys with: they say what README says and point at real things."""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from pathlib import Path

import yaml

from bot.config import load_config
from tests.conftest import REPO


def _instructions(name: str) -> list[tuple[str, str]]:
    lines = (REPO / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    found = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return [(k, v) for k, v in found if k == name]


def test_dockerfile_runs_the_bot_as_a_non_root_user_with_a_data_volume() -> None:
    assert [v for _, v in _instructions("FROM")][-1] == "python:3.11-slim"
    (_, cmd), *_ = reversed(_instructions("CMD"))
    assert json.loads(cmd) == ["bounceback", "run"]
    users = [v for _, v in _instructions("USER")]
    assert users
    assert users[-1] not in ("root", "0")
    assert "/data" in json.loads(_instructions("VOLUME")[-1][1])


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored() -> None:
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for _, value in _instructions("COPY"):
        if value.startswith("--from"):
            continue
        *sources, _ = value.split()
        for source in sources:
            assert (REPO / source).exists(), source
            assert source not in ignored, source


def test_the_image_config_keeps_the_database_and_secret_in_the_volume() -> None:
    config = load_config(REPO / "deploy" / "docker-config.yaml")
    assert config.database_path == Path("/data/bounceback.db")
    env = dict(v.split("=", 1) for _, v in _instructions("ENV") for v in v.split())
    assert env["BOUNCEBACK_CONFIG"] == "/etc/bounceback/config.yaml"


def test_compose_file_parses_and_keeps_sqlite_in_a_named_volume() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    service = compose["services"]["bounceback"]
    assert service["build"] == "."
    assert "DISCORD_TOKEN" in service["environment"]
    (volume,) = [v for v in service["volumes"] if v.endswith(":/data")]
    assert volume.split(":")[0] in compose["volumes"]


def test_systemd_unit_runs_the_bot_unprivileged_and_restarts_it() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO / "deploy" / "bounceback.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("bounceback run")
    assert service["User"] not in ("root", "0")
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_license_is_the_one_pyproject_declares() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Bounceback contributors" in text


def test_readme_explains_every_deployment_file_and_links_only_inside_the_repo() -> None:
    readme = (REPO / "README.md").read_text()
    for name in (
        "Dockerfile",
        "compose.yaml",
        "deploy/bounceback.service",
        "LICENSE",
        "CHANGELOG.md",
        "SECURITY.md",
        "ARCHITECTURE.md",
    ):
        assert name in readme, name
    for target in re.findall(r"\]\(([^)]+)\)", readme):
        if not target.startswith(("http://", "https://", "#")):
            assert (REPO / target).exists(), target
    assert "../" not in readme
    assert "DESIGN.md" not in readme
