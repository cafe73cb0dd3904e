"""Text members and moderators type, checked once for every feature with the same kind words."""

from __future__ import annotations

from bot.content.messages import Messages
from bot.domain.text import TextProblem, check_text
from bot.errors import UserFacingError


def accepted_text(raw: str, limit: int, messages: Messages) -> str:
    """Return the tidied text, or raise UserFacingError saying what to change (nothing saved)."""
    result = check_text(raw, limit)
    if result.problem is TextProblem.EMPTY:
        raise UserFacingError(messages.pick("text_empty"))
    if result.problem is TextProblem.TOO_LONG:
        raise UserFacingError(messages.pick("text_too_long", length=result.length, limit=limit))
    if result.problem is TextProblem.ONLY_MENTION:
        raise UserFacingError(messages.pick("text_only_mention"))
    return result.text
