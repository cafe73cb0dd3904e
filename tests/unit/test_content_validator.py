"""The content validator: one test per rule, each asserting file, line and message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_library
from bot.content.messages import message_keys
from bot.content.source import SourceErrors
from tests.conftest import REPO

GOOD_TIP = """\
  - id: {id}
    topic: {topic}
    text: {text}
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Return a copy of the shipped library that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target)
    return target


def _write_tips(content: Path, body: str, name: str = "zz-extra.yaml") -> Path:
    path = content / "tips" / name
    path.write_text("tips:\n" + body, encoding="utf-8")
    return path


def _errors(content: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_library(content)
    return [str(e) for e in caught.value.errors]


def test_the_shipped_library_is_valid_and_complete() -> None:
    library = load_library(REPO / "content")
    assert len(library.topics) >= 10
    assert len(library.tips) >= 100
    assert all(len(tips) >= 8 for tips in library.by_topic.values())
    assert {"es-ES", "pt-BR"} <= set(library.translations)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "  - id: x-1\n    topic: growth-mindset\n    text: [broken\n",
            5,
            "malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 4)",
        ),
        ("  - id: x-1\n    topic: growth-mindset\n", 2, "missing key 'tips[0].text'"),
        (
            "  - id: x-1\n    topic: growth-mindset\n    text: Fine.\n    mood: calm\n",
            5,
            "unknown key 'tips[0].mood'",
        ),
        (
            GOOD_TIP.format(id="x-1", topic="no-such-topic", text="Fine."),
            2,
            "tip 'x-1' has unknown topic 'no-such-topic'",
        ),
        (
            GOOD_TIP.format(id="x-1", topic="growth-mindset", text="x" * 401),
            4,
            "key 'tips[0].text' is 401 characters long; the limit is 400",
        ),
        (GOOD_TIP.format(id="x-1", topic="growth-mindset", text="'   '"), 4, "must not be empty"),
        (
            "  - id: x-1\n    topic: growth-mindset\n    text: Fine.\n"
            "    locales:\n      es-ES:\n        text: Bien.\n",
            5,
            "unknown key 'tips[0].locales'",  # translations live in content/locales/<code>/
        ),
        (
            GOOD_TIP.format(id="Bad Id", topic="growth-mindset", text="Fine."),
            2,
            "key 'tips[0].id' must be lowercase letters",
        ),
        (
            "  - id: x-1\n    topic: growth-mindset\n    text: Fine.\n    tags: [lunch]\n",
            5,
            "key 'tips[0].tags[0]' must be one of: application",
        ),
    ],
)
def test_each_rule_is_reported_with_file_and_line(
    content: Path, body: str, line: int, message: str
) -> None:
    path = _write_tips(content, body)
    errors = _errors(content)
    assert any(e.startswith(f"{path}:{line}:") and message in e for e in errors), errors


def test_duplicate_tip_id_names_both_places(content: Path) -> None:
    path = _write_tips(
        content, GOOD_TIP.format(id="growth-mindset-01", topic="growth-mindset", text="Again.")
    )
    original = content / "tips" / "growth-mindset.yaml"
    (error,) = _errors(content)
    assert error.startswith(f"{path}:2:1: duplicate tip id 'growth-mindset-01'")
    assert f"(first at {original}:2)" in error


def test_topic_with_no_tips(content: Path) -> None:
    topics = content / "topics.yaml"
    topics.write_text(
        topics.read_text() + "  - id: lonely\n    name: Lonely\n    description: No tips yet.\n"
    )
    line = len(topics.read_text().splitlines()) - 2
    assert _errors(content) == [f"{topics}:{line}:1: topic 'lonely' has no tips"]


def test_missing_message_key_is_an_error(content: Path) -> None:
    messages = content / "messages.yaml"
    kept = [ln for ln in messages.read_text().splitlines() if not ln.startswith("tip_shared:")]
    messages.write_text("\n".join(kept) + "\n")
    assert any("missing key 'tip_shared'" in e for e in _errors(content))


def test_every_message_key_is_shipped() -> None:
    text = (REPO / "content" / "messages.yaml").read_text()
    assert all(f"\n{key}:" in text for key in message_keys())


def test_all_errors_are_reported_at_once(content: Path) -> None:
    _write_tips(
        content,
        GOOD_TIP.format(id="x-1", topic="nowhere", text="Fine.")
        + GOOD_TIP.format(id="x-2", topic="growth-mindset", text="y" * 500),
    )
    (content / "messages.yaml").write_text("tip_footer: [\n")
    errors = _errors(content)
    assert len(errors) == 3
    assert {e.split(":")[0].rsplit("/", 1)[-1] for e in errors} == {
        "zz-extra.yaml",
        "messages.yaml",
    }


def test_a_bad_tag_does_not_hide_a_duplicate_id(content: Path) -> None:
    path = _write_tips(
        content,
        "  - id: growth-mindset-01\n    topic: growth-mindset\n    text: Again.\n"
        "    tags: [lunch]\n"
        + GOOD_TIP.format(id="x-1", topic="growth-mindset", text="Fine.")
        + "  - id: x-1\n    topic: growth-mindset\n    text: Twice.\n    tags: [brunch]\n",
    )
    errors = _errors(content)
    assert f"{path}:5:12: key 'tips[0].tags[0]' must be one of: " in "\n".join(errors)
    assert any(e.startswith(f"{path}:2:1: duplicate tip id 'growth-mindset-01'") for e in errors)
    assert any(
        e.startswith(f"{path}:9:1: duplicate tip id 'x-1' (first at {path}:6)") for e in errors
    )
    assert f"{path}:12:12: key 'tips[2].tags[0]' must be one of: " in "\n".join(errors)
    assert len(errors) == 4, errors


def test_one_broken_topic_does_not_make_every_tip_unknown(content: Path) -> None:
    topics = content / "topics.yaml"
    text = topics.read_text()
    topics.write_text(text + "  - id: Bad Topic\n    name: Bad\n    description: Broken id.\n")
    line = len(text.splitlines()) + 1
    errors = _errors(content)
    assert errors == [
        f"{topics}:{line}:9: key 'topics[{_count_topics(text)}].id' must be lowercase "
        "letters, digits and hyphens (at most 64), got 'Bad Topic'"
    ]


def _count_topics(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("  - id:"))


def test_a_malformed_topics_file_is_one_error_not_one_per_tip(content: Path) -> None:
    topics = content / "topics.yaml"
    topics.write_text("topics: [\n")
    errors = _errors(content)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{topics}:2:1: malformed YAML")
