"""Placeholders: a typo in the bot's voice is refused by the check, not met by a member.

The allowed names per message key are declared next to the schema; the last
tests read the bot's source and prove the declaration matches every call that
fills a message, so the check can never allow a name the code does not pass.
"""

from __future__ import annotations

import ast
import shutil
import string
from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from bot.content.loader import load_library
from bot.content.messages import Messages, placeholders
from bot.content.plurals import Plural
from bot.content.source import SourceErrors
from bot.content.support_loader import load_support
from bot.content.support_schema import SupportMessages
from tests.conftest import REPO


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target)
    return target


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _errors(content: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_library(content)
    return [str(e) for e in caught.value.errors]


def test_a_typo_in_a_placeholder_is_refused_with_file_and_line(content: Path) -> None:
    messages = content / "messages.yaml"
    line = _edit(messages, "This week: {week}.", "This week: {wek}.")
    assert _errors(content) == [
        f"{messages}:{line}:19: key 'rejection_counts' uses {{wek}}, which the bot cannot fill "
        "(it can use {week}, {total})"
    ]


def test_each_variant_is_checked_on_its_own_line(content: Path) -> None:
    messages = content / "messages.yaml"
    line = _edit(messages, '"Number {count}.', '"Number {cuont}.')
    (error,) = _errors(content)
    assert error.startswith(f"{messages}:{line}:7: key 'rejection_milestone.other' uses {{cuont}}")


def test_a_message_the_bot_fills_with_nothing_takes_no_placeholder(content: Path) -> None:
    messages = content / "messages.yaml"
    line = _edit(messages, "tip_shared: Shared with", "tip_shared: Shared by {name} with")
    (error,) = _errors(content)
    assert error == (
        f"{messages}:{line}:13: key 'tip_shared' uses {{name}}, which the bot cannot fill "
        "(this message takes no placeholders; write {{ and }} for a brace)"
    )


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("{week.__class__}", "uses {week.__class__}, which the bot cannot fill"),
        ("{}", "uses {}, which the bot cannot fill"),
        ("{week!r}", "writes {week!r}; write placeholders plainly, like {week}"),
        ("{week:>900}", "writes {week:>900}; write placeholders plainly, like {week}"),
        ("{week", "has a { or } without its partner (write {{ or }} for a brace)"),
        ("week}", "has a { or } without its partner (write {{ or }} for a brace)"),
    ],
)
def test_placeholders_are_plain_names(content: Path, written: str, problem: str) -> None:
    messages = content / "messages.yaml"
    _edit(messages, "This week: {week}.", f"This week: {written}.")
    (error,) = _errors(content)
    assert f"key 'rejection_counts' {problem}" in error


def test_a_support_message_typo_is_refused_too(content: Path) -> None:
    support = content / "support.yaml"
    line = _edit(support, "Step {step} of {total}. There's", "Step {stpe} of {total}. There's")
    with pytest.raises(SourceErrors) as caught:
        load_support(content, REPO_TODAY)
    (error,) = (str(e) for e in caught.value.errors)
    assert error.startswith(f"{support}:{line}:")
    assert "key 'messages.ground_progress' uses {stpe}, which the bot cannot fill" in error


def test_literal_braces_are_written_doubled_and_shown_single(content: Path) -> None:
    messages = content / "messages.yaml"
    _edit(messages, "tip_shared: Shared with", "tip_shared: Shared {{for real}} with")
    _edit(messages, "This week: {week}.", "This week {{so far}}: {week}.")
    library = load_library(content)
    assert library.messages.pick("tip_shared").startswith("Shared {for real} with")
    assert library.messages.pick("rejection_counts", week=2, total=5).startswith(
        "This week {so far}: 2."
    )


# --- the declaration matches the code -------------------------------------------------------

REPO_TODAY = date(2026, 11, 27)
SCHEMAS: tuple[type, ...] = (Messages, SupportMessages)
Function = ast.FunctionDef | ast.AsyncFunctionDef
WORDS = {"messages", "_messages", "words"}  # what the code calls Messages and SupportMessages


def _text_keys(schema: type) -> set[str]:
    return {f.name for f in fields(schema) if "placeholders" in f.metadata}


ALL_KEYS = set().union(*(_text_keys(s) for s in SCHEMAS))


def _declared(key: str) -> set[frozenset[str]]:
    """Return what each schema that has `key` allows (a key may exist in both)."""
    return {placeholders(s, key) for s in SCHEMAS if key in _text_keys(s)}


def _calls(tree: ast.AST) -> Iterator[tuple[Function, ast.Call]]:
    for func in ast.walk(tree):
        if isinstance(func, Function):
            for node in ast.walk(func):
                if isinstance(node, ast.Call):
                    yield func, node


def _pick_calls() -> Iterator[tuple[str, ast.Module, Function, ast.Call]]:
    for path in sorted((REPO / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(REPO).as_posix()
        for func, call in _calls(tree):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "pick" and call.args:
                if _receiver(call.func.value) in WORDS:
                    yield name, tree, func, call
                else:  # another pick (the demo's type-ahead): it must not take a message key
                    first = call.args[0]
                    assert not (isinstance(first, ast.Constant) and first.value in ALL_KEYS), (
                        f"{name}:{call.lineno}: name the messages object `messages` or `words`"
                    )


def _receiver(node: ast.expr) -> str:
    """`self.goals.messages` -> `messages`: what the object picking the words is called."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _candidates(tree: ast.Module, func: Function, arg: ast.expr) -> set[str]:
    """Collect every key an expression may hold.

    Constants, branches, f-string prefixes, locals, and for a parameter, whatever the
    callers in the same module pass.
    """
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return {arg.value}
    if isinstance(arg, ast.IfExp):
        return _candidates(tree, func, arg.body) | _candidates(tree, func, arg.orelse)
    if isinstance(arg, ast.JoinedStr):
        head = arg.values[0]
        assert isinstance(head, ast.Constant), f"line {arg.lineno}: an f-string key needs a prefix"
        return {key for key in ALL_KEYS if key.startswith(str(head.value))}
    if not isinstance(arg, ast.Name):
        raise AssertionError(f"line {arg.lineno}: cannot tell which message key this is")
    params = [a.arg for a in func.args.args]
    if arg.id in params:
        return _passed(tree, func.name, params.index(arg.id) - 1, arg.id)
    found: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == arg.id for t in node.targets
        ):
            found |= _candidates(tree, func, node.value)
    return found


def _passed(tree: ast.Module, method: str, position: int, name: str) -> set[str]:
    """Collect the keys every `self.<method>(...)` call in the module passes for one parameter."""
    found: set[str] = set()
    for caller, call in _calls(tree):
        target = call.func
        if not (isinstance(target, ast.Attribute) and target.attr == method):
            continue
        given = [k.value for k in call.keywords if k.arg == name]
        value = given[0] if given else call.args[position]
        found |= _candidates(tree, caller, value)
    return found


def test_every_key_the_code_fills_exists_and_gets_exactly_its_placeholders() -> None:
    checked = 0
    for file, tree, func, call in _pick_calls():
        keys = _candidates(tree, func, call.args[0])
        where = f"{file}:{call.lineno}"
        assert keys, f"{where}: no message key found"
        given = frozenset(k.arg for k in call.keywords if k.arg and k.arg != "chooser")
        for key in keys:
            assert key in ALL_KEYS, f"{where}: no message key '{key}'"
            assert given in _declared(key), (
                f"{where}: '{key}' is filled with {sorted(given)}, "
                f"declared {[sorted(d) for d in _declared(key)]}"
            )
        checked += 1
    assert checked >= 80


def _used(value: tuple[str, ...] | Plural) -> set[str]:
    texts = value.texts() if isinstance(value, Plural) else value
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_shipped_wording_fits_the_declaration() -> None:
    """Every declared key is shipped, and uses only what it is given (it may leave some out)."""
    library = load_library(REPO / "content")
    support, _ = load_support(REPO / "content", REPO_TODAY)
    shipped = {
        Messages: (REPO / "content" / "messages.yaml").read_text(encoding="utf-8"),
        SupportMessages: (REPO / "content" / "support.yaml").read_text(encoding="utf-8"),
    }
    for schema, words in ((Messages, library.messages), (SupportMessages, support.messages)):
        for key in _text_keys(schema):
            assert f"{key}:" in shipped[schema], f"{key} is declared but not shipped"
            assert _used(getattr(words, key)) <= placeholders(schema, key), key


# Shipped wording that no command shows yet; take a key off this list once it is used.
NOT_SHOWN_YET = {"rejection_no_entries"}


def test_every_declared_message_is_used_by_the_code() -> None:
    used = set().union(*(_candidates(t, f, c.args[0]) for _, t, f, c in _pick_calls()))
    assert ALL_KEYS - used == NOT_SHOWN_YET
