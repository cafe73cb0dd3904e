"""YAML parsed with line numbers, so every complaint can point at `file:line`.

Config and content are both written by people in an editor; an error that says
which line is wrong is the difference between a two-second fix and a support
thread. PyYAML's composed node tree keeps positions, so we validate the nodes
and only turn scalars into Python values one at a time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's parser when PyYAML was built with it; the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "SourceError",
    "SourceErrors",
    "collector_paused",
    "load_yaml_nodes",
    "mapping_entries",
    "read_yaml_nodes",
    "scalar_value",
]


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in a YAML file, positioned for a human (1-based line and column)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"

    @classmethod
    def at(cls, file: str, node: Node | None, message: str) -> SourceError:
        """Point at `node`, or at the top of the file when there is no node."""
        if node is None:
            return cls(file, 1, 1, message)
        mark = node.start_mark
        return cls(file, mark.line + 1, mark.column + 1, message)


class SourceErrors(Exception):
    """All problems found in one validation pass, reported together."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def load_yaml_nodes(text: str, file: str) -> Node | None:
    """Compose `text` into a node tree; malformed YAML becomes a positioned error."""
    try:
        with collector_paused():
            return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise SourceErrors([_syntax_error(exc, file)]) from exc
    except yaml.YAMLError as exc:
        raise SourceErrors([SourceError(file, 1, 1, f"malformed YAML: {exc}")]) from exc


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> SourceError:
    """Point at the problem, and say where the unfinished construct began."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    reason = exc.problem or exc.context or "malformed YAML"
    context = exc.context_mark
    if exc.context and context is not None and context.line + 1 != line:
        reason += f" ({exc.context} that starts at line {context.line + 1})"
    return SourceError(file, line, column, f"malformed YAML: {reason}")


def read_yaml_nodes(path: Path, shown_as: str | None = None) -> Node | None:
    """Read and compose a file; unreadable files are reported like YAML errors."""
    name = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceErrors([SourceError(name, 1, 1, f"cannot read file: {exc}")]) from exc
    return load_yaml_nodes(text, name)


def scalar_value(node: ScalarNode) -> object:
    """Turn one scalar node into its Python value with YAML 1.1 safe rules."""
    if node.tag == _STR_TAG:
        return node.value
    return SafeConstructor().construct_object(node, deep=True)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while composing.

    A large library creates hundreds of thousands of small node objects; the
    collector rescans the growing heap again and again and makes parsing about
    seven times slower. Nodes hold no cycles worth collecting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def mapping_entries(node: MappingNode) -> list[tuple[str, ScalarNode, Node]]:
    """Return (key, key node, value node) for a mapping; non-string keys keep their text."""
    entries: list[tuple[str, ScalarNode, Node]] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode):
            entries.append((str(key_node.value), key_node, value_node))
    return entries
