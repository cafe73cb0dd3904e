"""YAML parsed with line numbers, so every complaint can point at `file:line`.

Config and content are both written by people in an editor; an error that says
which line is wrong is the difference between a two-second fix and a support
thread. PyYAML's composed node tree keeps positions, so we validate the nodes
and only turn scalars into Python values one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "SourceError",
    "SourceErrors",
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
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        reason = exc.problem or exc.context or "malformed YAML"
        raise SourceErrors([SourceError(file, line, column, f"malformed YAML: {reason}")]) from exc
    except yaml.YAMLError as exc:
        raise SourceErrors([SourceError(file, 1, 1, f"malformed YAML: {exc}")]) from exc


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
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def mapping_entries(node: MappingNode) -> list[tuple[str, ScalarNode, Node]]:
    """Return (key, key node, value node) for a mapping; non-string keys keep their text."""
    entries: list[tuple[str, ScalarNode, Node]] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode):
            entries.append((str(key_node.value), key_node, value_node))
    return entries
