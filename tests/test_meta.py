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
    """Collect the string items of every tuple, list, set and dict-key literal, Literal[...] too."""
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


# --- every member-facing sentence lives in content/messages.yaml ----------------------------

# Calls whose strings no member reads: logs, where an error happened (for the log), the
# command tree's own texts (localized through a Translator in their own issue), patterns.
_UNREAD_CALLS = {"log", "logging", "app_commands", "re", "unicodedata", "getattr"}
_UNREAD_FUNCTIONS = {"guarded", "on_press", "getLogger"}
# `@group.command(description=...)` and friends: command and option texts.
_COMMAND_TREE = {"command", "describe", "choices", "rename", "Group", "Choice", "autocomplete"}


def _call_name(call: ast.Call) -> tuple[str, str]:
    """(first, last) name of a dotted call: `log.warning(...)` -> ("log", "warning")."""
    parts: list[str] = []
    func = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return (parts[-1], parts[0]) if parts else ("", "")


def _unread_nodes(tree: ast.Module) -> set[int]:
    """Ids of nodes whose strings never reach a member (see `_UNREAD_CALLS`)."""
    import builtins

    unread: set[int] = set()

    def skip(node: ast.AST) -> None:
        unread.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first_statement = body[0] if isinstance(body, list) and body else None
        if isinstance(first_statement, ast.Expr) and isinstance(
            first_statement.value, ast.Constant
        ):
            skip(first_statement)  # a docstring
        if isinstance(node, ast.Call):
            first, last = _call_name(node)
            if first in _UNREAD_CALLS or last in _UNREAD_FUNCTIONS | _COMMAND_TREE:
                skip(node)
        elif isinstance(node, ast.ClassDef):
            for keyword in node.keywords:  # group_description=, template=
                skip(keyword)
        elif isinstance(node, ast.Subscript):  # Interaction["Bounceback"]: a type
            skip(node.slice)
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip(node.format_spec)  # f"{until:%A %d %B}"
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _call_name(node.exc)[1]
            if hasattr(builtins, name):  # a programming error, for the log
                skip(node.exc)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "where" for t in node.targets
        ):
            skip(node.value)
    return unread


def _reads_as_words(text: str) -> bool:
    """Words a member could read: letters and a space, or one capitalised word ("Next").

    Custom ids, patterns and markdown ("tip:next:", "(?P<tip>...)", "<#", "**") are not.
    """
    if not any(ch.isalpha() for ch in text):
        return False
    if any(ch.isspace() for ch in text.strip()):
        return True
    return text.strip().isalpha() and not text.strip().islower()


def member_facing_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in `source` a member may read that is not from messages."""
    tree = ast.parse(source)
    unread = _unread_nodes(tree)
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in unread and _reads_as_words(text):
            found.append((node.lineno, text))
    return sorted(found)


def test_member_facing_words_in_exts_and_ui_come_from_messages_yaml() -> None:
    """The localisation issue translates content/messages.yaml; a sentence in code escapes it.

    Move the words to content/messages.yaml (a label or heading as a single text,
    a sentence as a message with its placeholders declared in bot/content/messages.py).
    """
    found = [
        f"{path.relative_to(BOT_DIR).as_posix()}:{line}: {text!r}"
        for layer in ("exts", "ui")
        for path in sorted((BOT_DIR / layer).glob("*.py"))
        for line, text in member_facing_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ('calm_embed("Your wins this week", body)', True),
        ('button("Delete", f"win:del:{win_id}")', True),
        ('lines = ["You are in the weekly threads."]', True),
        ('await interaction.response.send_message(f"{n} tip(s), ready.")', True),
        ('embed.set_footer(text="Only you can see this.")', True),
        ('log.warning("could not post to channel %s", channel_id)', False),
        ('await guarded(interaction, action, "button: carry goals")', False),
        ('button(words.button_next, f"tip:next:{tip_id}")', False),
        ('Interaction = discord.Interaction["Bounceback"]', False),
        ('raise NotImplementedError("build the tree with incident_tree(words)")', False),
        ('text = f"`{row.tip.id}` · {helped} · ✓"', False),
        ('pattern = r"goal:carry:(?P<week>\\d{4}-W\\d{2})"', False),
        ('@app_commands.command(name="log", description="Log a rejection")\ndef f(): ...', False),
        ('@goal.command(name="done", description="Mark a goal as done")\ndef f(): ...', False),
    ],
)
def test_the_member_facing_check_tells_words_from_code(source: str, caught: bool) -> None:
    assert bool(member_facing_literals(source)) is caught


def test_every_help_section_names_a_heading_in_messages_yaml() -> None:
    """/help titles each feature's commands with `help_section`, a messages.yaml label."""
    from dataclasses import fields

    from bot.content.messages import Messages

    labels = {f.name for f in fields(Messages) if f.type in (str, "str")}
    sections = {}
    for path in sorted((BOT_DIR / "exts").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "help_section" for t in node.targets
            ):
                assert isinstance(node.value, ast.Constant), path
                sections[path.stem] = node.value.value
    assert len(sections) == len(EXTENSIONS)
    assert {name: key for name, key in sections.items() if key not in labels} == {}


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
    """The ui layer draws what it is given; any `.services` there is a use case reached sideways."""
    for path in sorted((BOT_DIR / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr == "services"
        ]
        assert lines == [], f"{path} reads .services at lines {lines}"


def test_ui_imports_nothing_from_services_storage_or_the_app() -> None:
    """The ui layer renders domain and content data; importing the app would close a type cycle."""
    for path in sorted((BOT_DIR / "ui").rglob("*.py")):
        bad = {
            m
            for m in _imports(path)
            if m.startswith(("bot.services", "bot.storage")) or m in ("bot.app", "bot.client")
        }
        assert not bad, f"{path} imports {bad}"
