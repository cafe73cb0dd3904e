"""An immutable snapshot of the content: what every member is served until the next reload.

Handlers read `store.library` once per request and keep that snapshot, so a
reload in the middle of a request can never mix old and new content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.content.messages import Messages
from bot.content.schema import Tip, TipText, Topic, TopicText
from bot.domain.locales import pick_locale


@dataclass(frozen=True)
class Library:
    """Topics, tips and the bot's voice, validated together."""

    topics: Mapping[str, Topic]
    tips: Mapping[str, Tip]
    by_topic: Mapping[str, tuple[Tip, ...]]
    messages: Messages

    @classmethod
    def build(cls, topics: list[Topic], tips: list[Tip], messages: Messages) -> Library:
        """Index validated content; order follows the files so lists read naturally."""
        grouped: dict[str, list[Tip]] = {t.id: [] for t in topics}
        for tip in tips:
            grouped[tip.topic].append(tip)
        return cls(
            topics=MappingProxyType({t.id: t for t in topics}),
            tips=MappingProxyType({t.id: t for t in tips}),
            by_topic=MappingProxyType({k: tuple(v) for k, v in grouped.items()}),
            messages=messages,
        )

    def topic_text(self, topic: Topic, locale: str | None) -> TopicText:
        """Return the topic's name and description in the member's language when translated."""
        code = pick_locale(topic.locales.keys(), locale)
        return topic.locales[code] if code else TopicText(topic.name, topic.description)

    def tip_text(self, tip: Tip, locale: str | None) -> TipText:
        """Return the tip in the member's language when translated, else the original."""
        code = pick_locale(tip.locales.keys(), locale)
        return tip.locales[code] if code else TipText(tip.text, tip.reflect)
