"""Replies that carry a moderator's words stay within Discord's embed limits, however typed.

A 400-character tip can grow when shown: Unicode normalisation turns some letters into
three characters, and escaping markdown adds a backslash per mark. Discord refuses a whole
reply whose field is over 1,024 characters; after /rejection log that reply comes after the
entry is saved, so the member would see an apology and likely log the rejection twice.
"""

from __future__ import annotations

import pytest

from bot.content.loader import load_library
from bot.content.schema import REFLECT_MAX, TIP_TEXT_MAX
from bot.domain.rejections import LogReceipt
from bot.domain.tips import ServedTip, TipCard
from bot.ui.rejections import receipt_embed
from bot.ui.tips import tip_embed
from tests.conftest import REPO

FIELD_MAX = 1024
DESCRIPTION_MAX = 4096
# Each grows the most when shown: a letter NFC writes as three, markdown that is escaped.
WORST = ("\ufb2c", "*", "\ufb2c*")


def _card(text: str, reflect: str) -> TipCard:
    tip = ServedTip("srv-1", "resilience", text, reflect, source="server")
    return TipCard(tip, "Resilience", "🌱", text, reflect)


@pytest.mark.parametrize("unit", WORST)
def test_a_moderators_longest_tip_fits_the_rejection_log_reply(unit: str) -> None:
    messages = load_library(REPO / "content").messages
    text = (unit * TIP_TEXT_MAX)[:TIP_TEXT_MAX]
    reflect = (unit * REFLECT_MAX)[:REFLECT_MAX]
    receipt = LogReceipt("Logged.", "1 this week.", None, _card(text, reflect), None)
    embed = receipt_embed(receipt, messages).to_dict()
    assert all(len(f["value"]) <= FIELD_MAX for f in embed["fields"]), [
        len(f["value"]) for f in embed["fields"]
    ]
    assert len(embed["fields"][0]["value"]) > FIELD_MAX // 2  # the tip is there, not dropped


@pytest.mark.parametrize("unit", WORST)
def test_a_moderators_longest_tip_fits_the_tip_card(unit: str) -> None:
    text = (unit * TIP_TEXT_MAX)[:TIP_TEXT_MAX]
    reflect = (unit * REFLECT_MAX)[:REFLECT_MAX]
    embed = tip_embed(_card(text, reflect), None, "Reflect").to_dict()
    assert len(embed["description"]) <= DESCRIPTION_MAX
    assert all(len(f["value"]) <= FIELD_MAX for f in embed["fields"])
