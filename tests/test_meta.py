"""Meta tests over the whole bot: extensions, command descriptions and layer boundaries."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord import app_commands

import bot.exts
from bot.app import App, build_app
from bot.config import Config
from bot.exts import EXTENSIONS

BOT_DIR = Path(bot.exts.__file__).resolve().parent.parent
DISCORD_FREE = ("domain", "services", "content", "storage")


@pytest.fixture
async def loaded(config: Config) -> AsyncIterator[App]:
    app = await build_app(config, auto_sync=False)
    for name in EXTENSIONS:
        await app.bot.load_extension(name)
    yield app
    await app.close()


def test_every_extension_module_is_listed() -> None:
    modules = {f"bot.exts.{m.name}" for m in pkgutil.iter_modules(bot.exts.__path__)}
    assert modules == set(EXTENSIONS)
    assert len(EXTENSIONS) == len(set(EXTENSIONS))


def test_every_extension_has_a_setup_function() -> None:
    for name in EXTENSIONS:
        assert callable(getattr(importlib.import_module(name), "setup", None)), name


async def test_every_command_and_option_has_a_real_description(loaded: App) -> None:
    commands = list(loaded.bot.tree.walk_commands())
    assert commands
    for cmd in commands:
        assert cmd.description not in ("", "…"), cmd.qualified_name
        assert len(cmd.description) <= 100, cmd.qualified_name
        if isinstance(cmd, app_commands.Command):
            for param in cmd.parameters:
                assert param.description not in ("", "…"), (cmd.name, param.name)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", DISCORD_FREE)
def test_inner_layers_never_import_discord(layer: str) -> None:
    for path in (BOT_DIR / layer).rglob("*.py"):
        bad = {m for m in _imports(path) if m.split(".")[0] in ("discord", "aiohttp")}
        assert not bad, f"{path} imports {bad}"


def test_domain_imports_only_itself_and_the_standard_library() -> None:
    import sys

    for path in (BOT_DIR / "domain").rglob("*.py"):
        for module in _imports(path):
            top = module.split(".")[0]
            allowed = top in sys.stdlib_module_names or module.startswith("bot.domain")
            assert allowed or top == "__future__", f"{path} imports {module}"


SANDBOX_DIR = BOT_DIR.parent / "discord_sandbox"
SANDBOX_USERS = {BOT_DIR / "offline.py", *(BOT_DIR / "demo").rglob("*.py")}


def test_the_sandbox_imports_nothing_from_the_bot() -> None:
    for path in SANDBOX_DIR.rglob("*.py"):
        bad = {m for m in _imports(path) if m == "bot" or m.startswith("bot.")}
        assert not bad, f"{path} imports {bad}"


def test_only_the_demo_and_offline_runner_use_the_sandbox() -> None:
    for path in BOT_DIR.rglob("*.py"):
        if path in SANDBOX_USERS:
            continue
        bad = {m for m in _imports(path) if m.split(".")[0] == "discord_sandbox"}
        assert not bad, f"{path} imports {bad}"


def _imported(path: Path) -> set[str]:
    """Every module and `module.name` a file imports, so `from bot import storage` counts too."""
    found = set(_imports(path))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("layer", ["ui", "exts"])
def test_ui_and_extensions_never_import_storage(layer: str) -> None:
    for path in (BOT_DIR / layer).rglob("*.py"):
        bad = {m for m in _imported(path) if m == "bot.storage" or m.startswith("bot.storage.")}
        assert not bad, f"{path} imports {bad}"


DATABASE_DRIVERS = ("aiosqlite", "sqlite3", "asyncpg", "psycopg", "psycopg2")


def test_services_never_import_a_database_driver() -> None:
    for path in (BOT_DIR / "services").rglob("*.py"):
        bad = {m for m in _imports(path) if m.split(".")[0] in DATABASE_DRIVERS}
        assert not bad, f"{path} imports {bad}"


def _lists_of_strings(path: Path) -> list[set[str]]:
    """The string items of every tuple, list, set and dict (keys) literal, Literal[...] included."""
    found: list[set[str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)) and items is not None:
            found.append(
                {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
            )
    return found


def test_the_rejection_stages_are_listed_in_one_module() -> None:
    """A second list would drift: a new stage must reach /rejection, storage and tip tags at once.

    A stage named alone is fine (a default option, the demo logging one); a
    collection holding two or more is a list. "other" is left out: an everyday word.
    """
    from bot.domain.rejections import STAGES

    names = set(STAGES) - {"other"}
    holders = [
        path.relative_to(BOT_DIR).as_posix()
        for path in sorted(BOT_DIR.rglob("*.py"))
        if any(len(strings & names) > 1 for strings in _lists_of_strings(path))
    ]
    assert holders == ["domain/rejections.py"]


def test_no_guild_is_defined_once() -> None:
    """Direct messages file their data under one server id; two constants could disagree."""
    defining = [
        path.relative_to(BOT_DIR).as_posix()
        for path in sorted(BOT_DIR.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "NO_GUILD" for t in node.targets)
    ]
    assert defining == ["domain/member_key.py"]


# --- ui renders, extensions answer: no service locator, no use cases in ui -----------------


def test_no_extension_or_ui_module_reaches_services_through_the_client() -> None:
    """Services come through constructors; `interaction.client.services` hides a dependency."""
    found = [
        path.relative_to(BOT_DIR).as_posix()
        for layer in ("exts", "ui")
        for path in sorted((BOT_DIR / layer).rglob("*.py"))
        if "client.services" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_ui_never_touches_services() -> None:
    """ui draws what it is given; any `.services` there is a use case reached sideways."""
    for path in sorted((BOT_DIR / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr == "services"
        ]
        assert lines == [], f"{path} reads .services at lines {lines}"


def test_ui_imports_nothing_from_services_storage_or_the_app() -> None:
    """ui renders domain and content data; importing the app would also close a type cycle."""
    for path in sorted((BOT_DIR / "ui").rglob("*.py")):
        bad = {
            m
            for m in _imports(path)
            if m.startswith(("bot.services", "bot.storage")) or m == "bot.app"
        }
        assert not bad, f"{path} imports {bad}"
