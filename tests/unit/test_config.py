"""Config loading: defaults without a file, and one readable error per broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, WeeklySlot, check_timezone, load_config, load_config_checked
from bot.content.source import SourceErrors
from tests.conftest import REPO


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_config(path)
    return [str(e).removeprefix(f"{path}:") for e in caught.value.errors]


def test_no_file_means_all_defaults() -> None:
    config = load_config(None)
    assert config == Config()
    assert config.database_path == Path("data/bounceback.db")
    assert config.schedule.timezone == "UTC"
    assert config.privacy.min_group_size == 3


def test_empty_file_means_all_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("# nothing set yet\n", encoding="utf-8")
    assert load_config(path).schedule == Config().schedule


def test_example_file_is_valid_and_documents_the_defaults() -> None:
    config = load_config(REPO / "config.example.yaml")
    assert config.database == Config().database
    assert config.schedule == Config().schedule
    assert config.privacy == Config().privacy


def test_relative_paths_resolve_beside_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.yaml"
    path.parent.mkdir()
    path.write_text("database:\n  path: db/bot.db\n", encoding="utf-8")
    assert load_config(path).database_path == tmp_path / "conf" / "db" / "bot.db"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "database:\n  paht: x.db\n",
            "2:3: unknown key 'database.paht' (expected one of: path, pool_size,",
        ),
        ("colour: blue\n", "1:1: unknown key 'colour'"),
        (
            "privacy:\n  min_group_size: three\n",
            "2:19: key 'privacy.min_group_size' must be a whole number, got 'three'",
        ),
        (
            "privacy:\n  min_group_size: true\n",
            "2:19: key 'privacy.min_group_size' must be a whole number, got True",
        ),
        (
            "privacy:\n  min_group_size: 0\n",
            "2:19: key 'privacy.min_group_size' must be at least 2, got 0",
        ),
        ("content:\n  watch: 3\n", "2:10: key 'content.watch' must be true or false, got 3"),
        ("database: here.db\n", "1:11: key 'database' must be a mapping of keys to values"),
        (
            "schedule:\n  timezone: Europe/Berln\n",
            "2:13: key 'schedule.timezone' is not a known IANA timezone: 'Europe/Berln' (did you mean Europe/Berlin?)",
        ),
        (
            "schedule:\n  timezone: localtime\n",
            "2:13: key 'schedule.timezone' must be an IANA timezone name",
        ),
        (
            "schedule:\n  celebration: {weekday: funday, time: '17:00'}\n",
            "2:26: key 'schedule.celebration.weekday' must be one of: monday,",
        ),
        (
            "schedule:\n  celebration: {weekday: friday, time: '5pm'}\n",
            "2:40: key 'schedule.celebration.time' must be a 24-hour time like 17:00, got '5pm'",
        ),
        (
            "schedule:\n  celebration: {weekday: friday, time: 9:00:00}\n",
            "2:40: key 'schedule.celebration.time' must be a 24-hour time like 17:00, got '9:00:00'",
        ),
        (
            "schedule:\n  celebration: {weekday: friday, time: 900}\n",
            "2:40: key 'schedule.celebration.time' must be text, got 900",
        ),
        (
            "privacy:\n  min_group_size: 1\n",
            "2:19: key 'privacy.min_group_size' must be at least 2, got 1: with 1, a group "
            "figure is one person's own number, which undoes the privacy promise",
        ),
        (
            "logging:\n  level: LOUD\n",
            "2:10: key 'logging.level' must be one of: DEBUG, INFO, WARNING, ERROR",
        ),
        ("moderation:\n  role_id: -4\n", "2:12: key 'moderation.role_id' must be a Discord id"),
        (
            "schedule:\n  lease_seconds: 600\n",
            "2:18: key 'schedule.lease_seconds' must be between 1 and 180 seconds, got 600: a post "
            "taken over later than Discord remembers its nonces could be sent twice",
        ),
        (
            "schedule:\n  lease_seconds: 0\n",
            "2:18: key 'schedule.lease_seconds' must be between 1 and 180 seconds, got 0",
        ),
        ("logging:\n  level: INFO\nlogging:\n  level: DEBUG\n", "3:1: key 'logging' appears twice"),
        ("base_dir: /etc\n", "1:1: unknown key 'base_dir'"),
        ("database: [unclosed\n", "2:1: malformed YAML"),
    ],
)
def test_each_rule_names_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    errors = _errors(tmp_path, text)
    assert any(e.startswith(expected) for e in errors), errors


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "privacy:\n  min_group_size: 0\nlogging:\n  level: LOUD\nextra: 1\n")
    assert [e.split(":")[0] for e in errors] == ["2", "4", "5"]


def test_config_objects_are_frozen() -> None:
    config = Config()
    with pytest.raises(AttributeError):
        config.privacy.min_group_size = 1  # type: ignore[misc]


@pytest.mark.parametrize("name", ["America", "Etc", "America/Argentina", "Europe/", "zoneinfo"])
def test_a_folder_of_the_tz_database_is_not_a_timezone(name: str) -> None:
    problem = check_timezone(name)
    assert problem is not None
    assert problem.startswith(f"is not a known IANA timezone: {name!r}")


@pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/Argentina/Salta", "Etc/GMT+3"])
def test_real_zones_are_accepted(name: str) -> None:
    assert check_timezone(name) is None


def test_a_timezone_folder_in_the_config_is_a_positioned_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "schedule:\n  timezone: America/Argentina\n")
    (error,) = errors
    assert error.startswith(
        "2:13: key 'schedule.timezone' is not a known IANA timezone: 'America/Argentina' "
        "(did you mean America/Argentina/"
    )


def test_a_partial_group_takes_the_defaults_for_what_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "schedule:\n  celebration:\n    weekday: saturday\n  accountability:\n    time: '08:30'\n",
        encoding="utf-8",
    )
    schedule = load_config(path).schedule
    assert schedule.celebration == WeeklySlot("saturday", "17:00")
    assert schedule.accountability == WeeklySlot("monday", "08:30")
    assert schedule.timezone == "UTC"


def test_an_empty_group_means_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("schedule:\n  celebration: {}\n", encoding="utf-8")
    assert load_config(path).schedule == Config().schedule


@pytest.mark.parametrize(("written", "read"), [("9:00", "09:00"), ("17:30", "17:30")])
def test_an_unquoted_time_is_read_as_the_time_it_looks_like(
    tmp_path: Path, written: str, read: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(f"schedule:\n  celebration:\n    time: {written}\n", encoding="utf-8")
    assert load_config(path).schedule.celebration.time == read


def test_a_group_size_of_two_loads_with_a_warning_that_says_why(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("privacy:\n  min_group_size: 2\n", encoding="utf-8")
    config, warnings = load_config_checked(path)
    assert config.privacy.min_group_size == 2
    (warning,) = (str(w) for w in warnings)
    assert warning.startswith(f"{path}:2:19: key 'privacy.min_group_size' is 2")
    assert "work out the other's" in warning


def test_the_safe_defaults_give_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("privacy:\n  min_group_size: 3\n", encoding="utf-8")
    assert load_config_checked(path)[1] == []
    assert load_config_checked(None)[1] == []
