"""An immutable snapshot of the content: what every member is served until the next reload.

Handlers read `store.library` once per request and keep that snapshot, so a
reload in the middle of a request can never mix old and new content. The
snapshot holds every language; `messages` is the wording in the language being
spoken (bot.content.speaking), with English for any message a language lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from bot.content.commands import Registered
from bot.content.messages import Messages
from bot.content.schema import Tip, TipText, Topic, TopicText
from bot.content.speaking import language
from bot.content.translation_schema import Translation
from bot.domain.locales import ENGLISH_LOCALES, pick_locale

MAX_LOCALES = 64


@dataclass(frozen=True)
class Library:
    """Topics, tips and the bot's voice in every language, validated together."""

    topics: Mapping[str, Topic]
    tips: Mapping[str, Tip]
    by_topic: Mapping[str, tuple[Tip, ...]]
    english: Messages
    translations: Mapping[str, Translation]
    englishes: Mapping[str, Messages]  # English words, each English's dates (en-GB: 30 November)
    commands: Registered = ()  # the tree the bot registers, which every language names
    # Discord locale -> its wording, worked out on first use (a reply asks several times).
    _voices: dict[str | None, Messages] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        topics: list[Topic],
        tips: list[Tip],
        messages: Messages,
        translations: Mapping[str, Translation] | None = None,
        commands: Registered = (),
    ) -> Library:
        """Index validated content; order follows the files so lists read naturally."""
        grouped: dict[str, list[Tip]] = {t.id: [] for t in topics}
        for tip in tips:
            grouped[tip.topic].append(tip)
        return cls(
            topics=MappingProxyType({t.id: t for t in topics}),
            tips=MappingProxyType({t.id: t for t in tips}),
            by_topic=MappingProxyType({k: tuple(v) for k, v in grouped.items()}),
            english=messages,
            translations=MappingProxyType(dict(translations or {})),
            englishes=MappingProxyType(
                {code: replace(messages, locale=code) for code in ENGLISH_LOCALES}
            ),
            commands=commands,
        )

    @property
    def messages(self) -> Messages:
        """The wording in the language being spoken now, English per missing message."""
        return self.voice(language())

    def voice(self, locale: str | None) -> Messages:
        """Return the wording for a Discord locale: exact, else same language, else English."""
        found = self._voices.get(locale)
        if found is None:
            found = self._pick_voice(locale)
            if len(self._voices) < MAX_LOCALES:  # Discord has about thirty
                self._voices[locale] = found
        return found

    def _pick_voice(self, locale: str | None) -> Messages:
        code = pick_locale(self.translations.keys(), locale)
        if code is not None:
            return self.translations[code].messages
        return self.englishes.get(locale or "", self.english)

    def translation(self, locale: str | None) -> Translation | None:
        """Return the language folder serving `locale`, if any."""
        code = pick_locale(self.translations.keys(), locale)
        return self.translations[code] if code else None

    def topic_text(self, topic: Topic, locale: str | None) -> TopicText:
        """Return the topic's name and description in the member's language when translated."""
        code = pick_locale(topic.locales.keys(), locale)
        return topic.locales[code] if code else TopicText(topic.name, topic.description)

    def tip_text(self, tip: Tip, locale: str | None) -> TipText:
        """Return the tip in the member's language when translated, else the original."""
        code = pick_locale(tip.locales.keys(), locale)
        return tip.locales[code] if code else TipText(tip.text, tip.reflect)
