"""Bind composed YAML nodes onto frozen dataclasses, collecting every error at once.

One small binder serves config and content alike, so both speak the same
error language: `file:line:col: key 'a.b' must be ...`. Supported field types are
the ones our schemas use: str, int, float, bool, Literal, optional values, unions
(the first member that fits), nested dataclasses, tuples of those (a lone text
counts as a one-item tuple of text), and dict[str, X]. A field whose metadata
has `check` gets an extra rule (a function returning an error text or None);
`each` is such a rule for every item of a list, reported at the item's line;
`warn` returns a text for a value that is allowed but unwise (collected apart
from the errors); a field whose metadata has `line` receives the node's 1-based
line number, and one marked `internal` is never read from YAML; `schema` binds the field
with another (more specific) type than its annotation. A nested
record whose field has a default instance takes that instance's values for the
keys it leaves out, so `celebration: {weekday: saturday}` keeps the default time.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from yaml.error import Mark

from bot.content.source import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    SourceError,
    mapping_entries,
    scalar_value,
)

T = TypeVar("T")
Check = Callable[[Any], str | None]

_MISSING = object()
MAX_LISTED_KEYS = 12
_STR_TAG = "tag:yaml.org,2002:str"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


class _Binder:
    """Walk one file's nodes; errors accumulate instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[SourceError] = []
        self.warnings: list[SourceError] = []

    def fail(self, node: Node | None, message: str) -> object:
        self.errors.append(SourceError.at(self.file, node, message))
        return _MISSING

    def value(self, hint: Any, node: Node, key: str, base: object = None) -> object:
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            return self._optional(hint, node, key)
        if origin is Literal:
            return self._literal(hint, node, key)
        if origin is tuple:
            return self._sequence(get_args(hint)[0], node, key)
        if origin is dict:
            return self._mapping(get_args(hint)[1], node, key)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.record(hint, node, key, base)
        return self._scalar(hint, node, key)

    def record(self, cls: type[Any], node: Node, key: str, base: object = None) -> object:
        if not isinstance(node, MappingNode):
            return self.fail(node, f"{_label(key)} must be a mapping of keys to values")
        given, seen = self.entries(cls, node, key)
        if base is not None:
            for name in _schema(cls)[1].keys() - seen:  # type: ignore[arg-type]
                given[name] = getattr(base, name)
        return self._construct(cls, given, seen, node, key)

    def entries(
        self, cls: type[Any], node: MappingNode, key: str
    ) -> tuple[dict[str, object], set[str]]:
        """Bind the keys `node` gives (valid ones only) and name every key it gives."""
        hints, fields = _schema(cls)  # type: ignore[arg-type]
        given: dict[str, object] = {}
        seen: set[str] = set()
        for name, key_node, value_node in mapping_entries(node):
            path = f"{key}.{name}" if key else name
            if name in seen:
                self.fail(key_node, f"key '{path}' appears twice")
                continue
            seen.add(name)
            field = fields.get(name)
            if field is None:
                self.fail(key_node, f"unknown key '{path}' ({_expected(name, list(fields))})")
                continue
            hint = field.metadata.get("schema", hints[name])
            bound = self.value(hint, value_node, path, _instance_default(field))
            if bound is not _MISSING:
                bound = self._checked(field, bound, value_node, path)
            if bound is not _MISSING:
                given[name] = bound
        return given, seen

    def _construct(
        self, cls: type[Any], given: dict[str, object], seen: set[str], node: Node, key: str
    ) -> object:
        ok = True
        for field in dataclasses.fields(cls):
            if field.metadata.get("line"):
                given[field.name] = node.start_mark.line + 1
            elif field.metadata.get("internal") or field.name in given:
                continue
            elif field.name not in given and (field.name in seen or _required(field)):
                if field.name not in seen:
                    path = f"{key}.{field.name}" if key else field.name
                    self.fail(node, f"missing key '{path}'")
                ok = False
        if not ok:
            return _MISSING
        try:
            return cls(**given)
        except ValueError as exc:
            return self.fail(node, f"{_label(key)}: {exc}")

    def _checked(
        self, field: dataclasses.Field[Any], value: object, node: Node, key: str
    ) -> object:
        if value is None:
            return value
        check: Check | None = field.metadata.get("check")
        problem = check(value) if check else None
        if problem:
            return self.fail(node, f"{_label(key)} {problem}")
        each: Check | None = field.metadata.get("each")
        if each and isinstance(value, tuple):
            items = node.value if isinstance(node, SequenceNode) else [node]
            problems = [(child, each(item)) for item, child in zip(value, items, strict=False)]
            for child, problem in problems:
                if problem:
                    self.fail(child, f"{_label(key)} {problem}")
            if any(problem for _, problem in problems):
                return _MISSING
        warn: Check | None = field.metadata.get("warn")
        advice = warn(value) if warn else None
        if advice:
            self.warnings.append(SourceError.at(self.file, node, f"{_label(key)} {advice}"))
        return value

    def _optional(self, hint: Any, node: Node, key: str) -> object:
        inner = [a for a in get_args(hint) if a is not type(None)]
        optional = len(inner) < len(get_args(hint))
        if optional and isinstance(node, ScalarNode) and scalar_value(node) is None:
            return None
        if len(inner) == 1:
            return self.value(inner[0], node, key)
        for option in inner:  # e.g. `none`, `auto` or a number: the first that fits wins
            trial = _Binder(self.file)
            value = trial.value(option, node, key)
            if not trial.errors:
                return value
        return self.fail(node, f"{_label(key)} must be {' or '.join(map(_describe, inner))}")

    def _literal(self, hint: Any, node: Node, key: str) -> object:
        allowed = get_args(hint)
        raw = scalar_value(node) if isinstance(node, ScalarNode) else _MISSING
        if raw not in allowed:
            choices = ", ".join(str(a) for a in allowed)
            return self.fail(node, f"{_label(key)} must be one of: {choices}")
        return raw

    def _sequence(self, item: Any, node: Node, key: str) -> object:
        if item is str and isinstance(node, ScalarNode) and node.tag == _STR_TAG:
            return (node.value,)
        if not isinstance(node, SequenceNode):
            return self.fail(node, f"{_label(key)} must be a list")
        items = [self.value(item, child, f"{key}[{i}]") for i, child in enumerate(node.value)]
        return _MISSING if _MISSING in items else tuple(items)

    def _mapping(self, item: Any, node: Node, key: str) -> object:
        if not isinstance(node, MappingNode):
            return self.fail(node, f"{_label(key)} must be a mapping")
        out = {
            name: self.value(item, v, f"{key}.{name}" if key else name)
            for name, _, v in mapping_entries(node)
        }
        return _MISSING if _MISSING in out.values() else out

    def _scalar(self, hint: type[Any], node: Node, key: str) -> object:
        raw = scalar_value(node) if isinstance(node, ScalarNode) else _MISSING
        if hint is str and _base_sixty(node):
            raw = node.value
        if hint is float and isinstance(raw, int) and not isinstance(raw, bool):
            raw = float(raw)
        if raw is _MISSING or type(raw) is not hint:
            shown = "a list or mapping" if raw is _MISSING else repr(raw)
            return self.fail(node, f"{_label(key)} must be {_TYPE_NAMES[hint]}, got {shown}")
        return raw


def _describe(hint: Any) -> str:
    if get_origin(hint) is Literal:
        return "one of: " + ", ".join(str(a) for a in get_args(hint))
    return _TYPE_NAMES.get(hint, getattr(hint, "__name__", str(hint)))


def _base_sixty(node: Node) -> bool:
    """Spot an unquoted `9:00`, which YAML 1.1 reads as the number 540 (base sixty).

    YAML 1.2, and anyone reading the file, mean the text; for a text field we
    take the characters as written rather than refuse a time that looks right.
    """
    plain = isinstance(node, ScalarNode) and not node.style  # libyaml says "", PyYAML None
    return plain and node.tag in _NUMBER_TAGS and ":" in node.value


def _instance_default(field: dataclasses.Field[Any]) -> object:
    """Return a nested record's default instance, which fills the keys a file leaves out."""
    default = field.default
    is_record = dataclasses.is_dataclass(default) and not isinstance(default, type)
    return default if is_record else None


def _expected(name: str, known: list[str]) -> str:
    """List the keys when there are few; otherwise point at the closest one."""
    if len(known) <= MAX_LISTED_KEYS:
        return "expected one of: " + (", ".join(sorted(known)) or "none")
    import difflib  # only for a mistyped key: not held by every running bot (140 KB)

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"{len(known)} keys are allowed here"


def _label(key: str) -> str:
    return f"key '{key}'" if key else "the file"


@functools.cache
def _schema(cls: type[Any]) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """Type hints and bindable fields of a schema class, resolved once per class."""
    fields = {f.name: f for f in dataclasses.fields(cls) if not _special(f)}
    return get_type_hints(cls), fields


def _special(field: dataclasses.Field[Any]) -> bool:
    return bool(field.metadata.get("line") or field.metadata.get("internal"))


def _required(field: dataclasses.Field[Any]) -> bool:
    no_default = field.default is dataclasses.MISSING
    return no_default and field.default_factory is dataclasses.MISSING


def bind(
    cls: type[T],
    node: Node | None,
    file: str,
    key: str = "",
    warnings: list[SourceError] | None = None,
) -> tuple[T | None, list[SourceError]]:
    """Build `cls` from `node`; an empty document means all defaults.

    Warnings (allowed but unwise values) are appended to `warnings` when given.
    """
    binder = _Binder(file)
    if node is None or (isinstance(node, ScalarNode) and scalar_value(node) is None):
        empty = MappingNode("tag:yaml.org,2002:map", [], _start_of(node))
        result = binder.record(cls, empty, key)
    else:
        result = binder.record(cls, node, key)
    if warnings is not None:
        warnings.extend(binder.warnings)
    if result is _MISSING or binder.errors:
        return None, binder.errors
    return typing.cast(T, result), []


def bind_partial(
    cls: type[Any], node: Node | None, file: str
) -> tuple[dict[str, object], list[SourceError]]:
    """Bind whichever of `cls`'s keys `node` gives (a translation gives some, not all).

    Unknown keys are errors; the valid keys are returned even when others fail, so a
    caller can report everything at once.
    """
    binder = _Binder(file)
    if node is None or (isinstance(node, ScalarNode) and scalar_value(node) is None):
        return {}, []
    if not isinstance(node, MappingNode):
        binder.fail(node, "the file must be a mapping of keys to values")
        return {}, binder.errors
    given, _ = binder.entries(cls, node, "")
    return given, binder.errors


def bind_value(hint: Any, node: Node, file: str, key: str) -> tuple[object, list[SourceError]]:
    """Bind one node against a type hint (used for lists of records)."""
    binder = _Binder(file)
    result = binder.value(hint, node, key)
    return (None if result is _MISSING else result), binder.errors


def _start_of(node: Node | None) -> Mark:
    return node.start_mark if node is not None else Mark("", 0, 0, 0, "", 0)
