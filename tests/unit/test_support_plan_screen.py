"""The plan screen shows every word a member saved, even when escaping makes a part longer.

A part holds up to 1,000 characters; escaped for display it can pass a field's 1,024. Cut
with an ellipsis, the end of the part (often the phone numbers under "people I can reach")
disappeared from the screen on the day the member needs it.
"""

from __future__ import annotations

from datetime import date

from bot.content.support_loader import load_support
from bot.domain.support import PLAN_FIELD_MAX, SupportPlan
from bot.domain.text import ELLIPSIS, public_parts
from bot.ui.support import Frame, plan_message
from tests.conftest import REPO

FIELD_MAX, EMBED_MAX = 1024, 6000
PEOPLE = ("Mom 555-123-4567, sis 555-987-6543. " * 40)[: PLAN_FIELD_MAX - 13] + " 555-000-1111"


def _frame() -> Frame:
    support, _ = load_support(REPO / "content", date(2026, 11, 23))
    return Frame(support.messages, 42, "US", "United States", "Peer support only.", "breathe")


def _size(embed: dict[str, object]) -> int:
    fields = embed["fields"]
    assert isinstance(fields, list)
    parts = [str(embed.get("title", "")), str(embed.get("description", ""))]
    parts += [str(f["name"]) + str(f["value"]) for f in fields]
    parts.append(str(embed["footer"]["text"]))  # type: ignore[index]
    return sum(map(len, parts))


def test_a_long_part_continues_in_the_next_field_with_nothing_cut() -> None:
    plan = SupportPlan(people=PEOPLE, reasons="My kids")
    embed = plan_message(_frame(), plan)["embed"].to_dict()
    values = [f["value"] for f in embed["fields"]]
    assert all(len(v) <= FIELD_MAX for v in values)
    shown = "".join(values).replace("\\", "")
    assert "555-000-1111" in shown  # the last number is still there
    assert ELLIPSIS not in shown
    assert _size(embed) <= EMBED_MAX


def test_four_full_parts_of_markdown_still_fit_one_message() -> None:
    """The worst case cannot all be shown; it must still be a message Discord accepts."""
    full = "*_" * (PLAN_FIELD_MAX // 2)
    plan = SupportPlan(warning_signs=full, what_helps=full, people=full, reasons=full)
    embed = plan_message(_frame(), plan)["embed"].to_dict()
    assert all(len(f["value"]) <= FIELD_MAX for f in embed["fields"])
    assert _size(embed) <= EMBED_MAX
    assert len(embed["fields"]) <= 25


def test_public_parts_split_between_pieces_and_keep_every_character() -> None:
    text = "call 555-0101 " * 100
    parts = public_parts(text, 200)
    assert all(len(p) <= 200 for p in parts)
    assert "".join(parts).replace("\\", "") == text.strip()
    assert not any(p.endswith("\\") for p in parts)  # an escape is never cut from its character
