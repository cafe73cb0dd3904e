"""Load and validate the whole content folder in one pass, reporting every problem.

Layout: `topics.yaml`, `tips/*.yaml` and `messages.yaml`. Each file is bound
to its schema, then cross-file rules run (duplicate ids, unknown topics, empty
topics). Only a library with no errors at all is returned; the caller keeps
serving the previous one otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.content.binding import bind, bind_value
from bot.content.library import Library
from bot.content.messages import Messages
from bot.content.schema import Tip, TipsFile, Topic, TopicsFile
from bot.content.source import (
    MappingNode,
    Node,
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


def load_library(directory: Path) -> Library:
    """Read, validate and index `directory`; raise SourceErrors listing all problems."""
    errors: list[SourceError] = []
    with collector_paused():
        topics = _load_topics(directory / TOPICS_FILE, errors)
        tips = _load_tips(directory / TIPS_FOLDER, errors)
        messages = _load_messages(directory / MESSAGES_FILE, errors)
    errors.extend(cross_check(topics, tips, str(directory / TOPICS_FILE)))
    if errors or messages is None:
        raise SourceErrors(errors)
    return Library.build(topics, tips, messages)


def _read(path: Path, errors: list[SourceError]) -> Node | None:
    if not path.is_file():
        errors.append(SourceError(str(path), 1, 1, "file is missing"))
        return None
    try:
        return read_yaml_nodes(path)
    except SourceErrors as exc:
        errors.extend(exc.errors)
        return None


def _load_topics(path: Path, errors: list[SourceError]) -> list[Topic]:
    node = _read(path, errors)
    if node is None:
        return []
    parsed, problems = bind(TopicsFile, node, str(path))
    errors.extend(problems)
    return list(parsed.topics) if parsed else []


def _load_tips(folder: Path, errors: list[SourceError]) -> list[Tip]:
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        errors.append(SourceError(str(folder), 1, 1, "no tip files (tips/*.yaml) found"))
    tips: list[Tip] = []
    for path in files:
        node = _read(path, errors)
        if node is not None:
            tips.extend(_with_file(tip, str(path)) for tip in _bind_tips(node, str(path), errors))
    return tips


def _bind_tips(node: Node, file: str, errors: list[SourceError]) -> list[Tip]:
    """Bind tip by tip, so one bad tip does not hide the rules the others break."""
    items = _tips_sequence(node)
    if items is None:
        _, problems = bind(TipsFile, node, file)
        errors.extend(problems)
        return []
    tips = []
    for index, child in enumerate(items):
        tip, problems = bind_value(Tip, child, file, f"tips[{index}]")
        errors.extend(problems)
        if isinstance(tip, Tip):
            tips.append(tip)
    return tips


def _tips_sequence(node: Node) -> list[Node] | None:
    if not isinstance(node, MappingNode):
        return None
    entries = mapping_entries(node)
    if [name for name, _, _ in entries] != ["tips"] or not isinstance(entries[0][2], SequenceNode):
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


def cross_check(topics: list[Topic], tips: list[Tip], topics_file: str) -> list[SourceError]:
    """Rules that span files: unique ids, known topics, no empty topic."""
    errors: list[SourceError] = []
    seen_topics: dict[str, Topic] = {}
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
    seen_tips: dict[str, Tip] = {}
    for tip in tips:
        if tip.id in seen_tips:
            earlier = seen_tips[tip.id]
            where = f"{earlier.file}:{earlier.line}"
            errors.append(
                _err(tip.file, tip.line, f"duplicate tip id '{tip.id}' (first at {where})")
            )
        seen_tips.setdefault(tip.id, tip)
        if tip.topic not in seen_topics:
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
