"""Sentences built in services, domain and publishing come from content/messages.yaml too.

The meta test covers exts and ui; these layers also produce words people read
(a stage's name in /rejection stats, the group's periods, the /my-data note,
/setup show's schedule names, the moderator log's reasons), and a sentence left
in code escapes the localisation issue.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_library
from bot.domain.rejections import STAGES
from tests.conftest import REPO
from tests.test_meta import member_facing_literals

# Text in these layers that no member or moderator reads, and why.
NOT_READ = {
    "no thread this week",  # a skipped post's detail, kept in the database for operators
    "no wins",  # likewise
    "MemberKeys(<secret hidden>)",  # a repr, for logs and debuggers
    "catch-up of ",  # the scheduler's job name, for the log
}


def _sentences(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    found = member_facing_literals(source)
    return [
        f"{path.relative_to(REPO).as_posix()}:{line}: {text!r}"
        for line, text in found
        if " " in text.strip() and text not in NOT_READ
    ]


@pytest.mark.parametrize("layer", ["services", "domain"])
def test_no_sentence_is_written_in_services_or_domain(layer: str) -> None:
    found = [s for path in sorted((REPO / "bot" / layer).glob("*.py")) for s in _sentences(path)]
    assert found == []


@pytest.mark.parametrize("module", ["publishing.py", "publishing_threads.py", "delivery.py"])
def test_the_moderator_logs_reasons_come_from_messages_yaml(module: str) -> None:
    assert _sentences(REPO / "bot" / module) == []


def test_every_stage_has_a_name_and_an_unknown_one_shows_its_id() -> None:
    messages = load_library(REPO / "content").messages
    names = [messages.stage_name(stage) for stage in STAGES]
    assert names == [
        "Application",
        "Screening",
        "Interview",
        "Final round",
        "Offer withdrawn",
        "Other",
    ]
    assert messages.stage_name("phone-screen") == "phone-screen"
    assert messages.stage_name("name") == "name"  # not the method of that name
    assert messages.post_kind("celebration") == "weekly celebration"
    assert messages.post_kind("newsletter") == "newsletter"
