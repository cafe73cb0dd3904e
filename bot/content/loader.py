"""Load and validate the whole content folder in one pass, reporting every problem.

Layout: `topics.yaml`, `tips/*.yaml` and `messages.yaml` in English, and one
folder per language under `locales/` (bot.content.locale_loader). Each file is
bound to its schema, then cross-file rules run (duplicate ids, unknown topics,
empty topics, translations of things that exist). Only a library with no errors
at all is returned; the caller keeps serving the previous one otherwise.

Topics and tips are bound one by one, and an entry that breaks a rule still
takes part in the cross-file rules by its id and topic: a bad tag must not
hide a duplicate id, and one broken topic must not make every tip "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from bot.content.binding import bind, bind_value
from bot.content.commands import Registered
from bot.content.library import Library
from bot.content.locale_loader import load_translations, with_command_names, with_translations
from bot.content.messages import Messages
from bot.content.schema import Tip, TipsFile, Topic, TopicsFile, check_id
from bot.content.source import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    SourceError,
    SourceErrors,
    collector_paused,
    mapping_entries,
    read_yaml_nodes,
)

TOPICS_FILE = "topics.yaml"
MESSAGES_FILE = "messages.yaml"
TIPS_FOLDER = "tips"
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """What the cross-file rules need of a topic or tip, even one that failed its own rules."""

    id: str
    topic: str | None
    file: str
    line: int


def load_library(directory: Path, commands: Registered = ()) -> Library:
    """Read, validate and index `directory`; raise SourceErrors listing all problems.

    `commands` is the tree the bot registers: each language's `/command` references
    are rewritten to its picker's names, and coverage counts them (none: neither).
    """
    errors: list[SourceError] = []
    topic_entries: list[Entry] = []
    tip_entries: list[Entry] = []
    with collector_paused():
        topics = _load_topics(directory / TOPICS_FILE, errors, topic_entries)
        tips = _load_tips(directory / TIPS_FOLDER, errors, tip_entries)
        messages = _load_messages(directory / MESSAGES_FILE, errors)
    errors.extend(cross_check(topic_entries, tip_entries, str(directory / TOPICS_FILE)))
    if errors or messages is None:
        raise SourceErrors(errors)
    translations, problems = load_translations(directory, messages, topics, tips)
    if problems:
        raise SourceErrors(problems)
    translations = {code: with_command_names(tr, commands) for code, tr in translations.items()}
    topics, tips = with_translations(topics, tips, translations)
    return Library.build(topics, tips, messages, translations, commands)


def _read(path: Path, errors: list[SourceError]) -> Node | None:
    if not path.is_file():
        errors.append(SourceError(str(path), 1, 1, "file is missing"))
        return None
    try:
        return read_yaml_nodes(path)
    except SourceErrors as exc:
        errors.extend(exc.errors)
        return None


def _load_topics(path: Path, errors: list[SourceError], entries: list[Entry]) -> list[Topic]:
    node = _read(path, errors)
    if node is None:
        return []
    return _bind_each(Topic, TopicsFile, node, str(path), errors, entries)


def _load_tips(folder: Path, errors: list[SourceError], entries: list[Entry]) -> list[Tip]:
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        errors.append(SourceError(str(folder), 1, 1, "no tip files (tips/*.yaml) found"))
    tips: list[Tip] = []
    for path in files:
        node = _read(path, errors)
        if node is not None:
            bound = _bind_each(Tip, TipsFile, node, str(path), errors, entries)
            tips.extend(_with_file(tip, str(path)) for tip in bound)
    return tips


def _bind_each(
    item: type[T],
    whole: type[Any],
    node: Node,
    file: str,
    errors: list[SourceError],
    entries: list[Entry],
) -> list[T]:
    """Bind item by item, so one bad item does not hide the rules the others break."""
    name, topic_key = ("topics", "id") if whole is TopicsFile else ("tips", "topic")
    items = _sequence(node, name)
    if items is None:
        _, problems = bind(whole, node, file)
        errors.extend(problems)
        return []
    bound: list[T] = []
    for index, child in enumerate(items):
        value, problems = bind_value(item, child, file, f"{name}[{index}]")
        errors.extend(problems)
        if isinstance(value, item):
            bound.append(value)
        entry = _entry(child, file, topic_key)
        if entry is not None:
            entries.append(entry)
    return bound


def _entry(node: Node, file: str, topic_key: str) -> Entry | None:
    """Read the id and topic as written, if the id is usable (a topic's topic is its own id)."""
    if not isinstance(node, MappingNode):
        return None
    texts = {
        name: value.value
        for name, _, value in mapping_entries(node)
        if isinstance(value, ScalarNode) and isinstance(value.value, str)
    }
    ident = texts.get("id", "")
    if not ident or check_id(ident) is not None:
        return None
    return Entry(ident, texts.get(topic_key), file, node.start_mark.line + 1)


def _sequence(node: Node, name: str) -> list[Node] | None:
    if not isinstance(node, MappingNode):
        return None
    entries = mapping_entries(node)
    if [key for key, _, _ in entries] != [name] or not isinstance(entries[0][2], SequenceNode):
        return None
    return list(entries[0][2].value)


def _with_file(tip: Tip, file: str) -> Tip:
    return replace(tip, file=file)


def _load_messages(path: Path, errors: list[SourceError]) -> Messages | None:
    node = _read(path, errors)
    if node is None:
        return None
    parsed, problems = bind(Messages, node, str(path))
    errors.extend(problems)
    return parsed


def cross_check(topics: list[Entry], tips: list[Entry], topics_file: str) -> list[SourceError]:
    """Rules that span files: unique ids, known topics, no empty topic."""
    errors: list[SourceError] = []
    seen_topics: dict[str, Entry] = {}
    for topic in topics:
        if topic.id in seen_topics:
            first = seen_topics[topic.id]
            errors.append(
                _err(
                    topics_file,
                    topic.line,
                    f"duplicate topic id '{topic.id}' (first at line {first.line})",
                )
            )
        seen_topics.setdefault(topic.id, topic)
    seen_tips: dict[str, Entry] = {}
    for tip in tips:
        if tip.id in seen_tips:
            earlier = seen_tips[tip.id]
            where = f"{earlier.file}:{earlier.line}"
            errors.append(
                _err(tip.file, tip.line, f"duplicate tip id '{tip.id}' (first at {where})")
            )
        seen_tips.setdefault(tip.id, tip)
        # With no readable topic at all, topics.yaml has its own error; naming every
        # tip "unknown" would bury it.
        if seen_topics and tip.topic is not None and tip.topic not in seen_topics:
            known = ", ".join(seen_topics) or "none"
            errors.append(
                _err(
                    tip.file,
                    tip.line,
                    f"tip '{tip.id}' has unknown topic '{tip.topic}' (known: {known})",
                )
            )
    used = {tip.topic for tip in tips}
    for topic in seen_topics.values():
        if topic.id not in used:
            errors.append(_err(topics_file, topic.line, f"topic '{topic.id}' has no tips"))
    return errors


def _err(file: str, line: int, message: str) -> SourceError:
    return SourceError(file, line, 1, message)
