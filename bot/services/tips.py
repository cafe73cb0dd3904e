"""Tips for members: pick the next unseen tip, localise it, count "This helped"."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.content.library import Library
from bot.domain.locales import pick_locale
from bot.domain.member_key import NO_GUILD, MemberKeys
from bot.domain.tips import SeenOp, TipCard, choose_tip
from bot.errors import UserFacingError
from bot.services.tip_catalog import GuildCatalog, TipCatalog
from bot.storage.tip_history import SeenTracker
from bot.storage.tips import TipVotesRepository


@dataclass(frozen=True)
class TopicChoice:
    """A topic as offered in autocomplete."""

    id: str
    name: str


class TipsService:
    """Member-facing tip use cases."""

    def __init__(
        self,
        catalog: TipCatalog,
        history: SeenTracker,
        votes: TipVotesRepository,
        keys: MemberKeys,
        rng: random.Random | None = None,
    ) -> None:
        self._catalog = catalog
        self._history = history
        self._votes = votes
        self._keys = keys
        self._rng = rng or random.Random()  # noqa: S311 - rotates tips, not secrets

    @property
    def library(self) -> Library:
        """Return the live library snapshot, for wording the exts need around a tip."""
        return self._catalog.library

    async def topic_choices(
        self, guild_id: int | None, locale: str | None, typed: str
    ) -> list[TopicChoice]:
        """Topics with tips whose (translated) name or id contains what was typed."""
        catalog = await self._catalog.for_guild(guild_id)
        library = catalog.library
        wanted = typed.strip().casefold()
        found = []
        for topic_id in catalog.topics_with_tips:
            topic = library.topics[topic_id]
            name = library.topic_text(topic, locale).name
            if wanted in name.casefold() or wanted in topic.name.casefold() or wanted in topic_id:
                found.append(TopicChoice(topic_id, name))
        return found[:25]

    async def next_tip(
        self,
        guild_id: int | None,
        user_id: int,
        topic: str | None,
        locale: str | None,
    ) -> TipCard:
        """Pick an unseen tip of `topic` (random topic when None) and remember it was shown."""
        catalog = await self._catalog.for_guild(guild_id)
        topic_id = self._resolve_topic(catalog, topic, locale)
        return await self._pick(catalog, guild_id, user_id, topic_id, locale, None)

    async def another_tip(
        self, guild_id: int | None, user_id: int, shown: str, locale: str | None
    ) -> TipCard:
        """Pick the next tip of the topic of `shown`, the tip whose "Another tip" was pressed.

        The card may be older than a moderator's change: a tip removed from this server since
        still names its topic in the library, and when its topic has no tips left (or the tip
        was the server's own), another topic will do. A press always brings a tip if any exist.
        """
        catalog = await self._catalog.for_guild(guild_id)
        tip = catalog.tips.get(shown) or catalog.library.tips.get(shown)
        topic = tip.topic if tip is not None and tip.topic in catalog.topics_with_tips else None
        topic_id = self._resolve_topic(catalog, topic, locale)
        return await self._pick(catalog, guild_id, user_id, topic_id, locale, shown)

    async def _pick(
        self,
        catalog: GuildCatalog,
        guild_id: int | None,
        user_id: int,
        topic_id: str,
        locale: str | None,
        last: str | None,
    ) -> TipCard:
        """Choose an unseen tip of `topic_id`, remember it, and localise it.

        `last` is the tip on screen, never picked again at once; None means the one this
        member was last shown of that topic.
        """
        guild, member = guild_id or NO_GUILD, self._keys.key(guild_id or NO_GUILD, user_id)
        seen = await self._history.seen(guild, member, topic_id)
        last = last or self._history.last_shown(guild, member, topic_id)
        choice = choose_tip(catalog.by_topic[topic_id], seen, self._rng, last)
        self._history.record(SeenOp(guild, member, topic_id, choice.tip_id, choice.new_round))
        return self._card(catalog, choice.tip_id, locale, new_round=choice.new_round)

    async def tip_for_stage(
        self, guild_id: int | None, user_id: int, stage: str, locale: str | None
    ) -> TipCard | None:
        """Pick a tip tagged for this rejection stage, else any; None when there are no tips."""
        catalog = await self._catalog.for_guild(guild_id)
        tagged = catalog.for_stage(stage)
        if tagged:
            return self._card(catalog, self._rng.choice(tagged), locale)
        if not catalog.topics_with_tips:
            return None
        return await self.next_tip(guild_id, user_id, None, locale)

    async def tip_card(self, guild_id: int | None, tip_id: str, locale: str | None) -> TipCard:
        """Return a specific tip as this server shows it (for sharing and previews)."""
        catalog = await self._catalog.for_guild(guild_id)
        if tip_id not in catalog.tips:
            raise UserFacingError(catalog.library.messages.pick("unknown_tip"))
        return self._card(catalog, tip_id, locale)

    def _card(
        self, catalog: GuildCatalog, tip_id: str, locale: str | None, *, new_round: bool = False
    ) -> TipCard:
        tip = catalog.tips[tip_id]
        library = catalog.library
        topic = library.topics.get(tip.topic)
        topic_name = library.topic_text(topic, locale).name if topic else tip.topic
        code = pick_locale(tip.translations.keys(), locale)
        words = tip.translations[code] if code else None
        return TipCard(
            tip=tip,
            topic_name=topic_name,
            topic_emoji=topic.emoji if topic else None,
            text=words.text if words else tip.text,
            reflect=words.reflect if words else tip.reflect,
            new_round=new_round,
        )

    async def mark_helped(self, guild_id: int | None, user_id: int, tip_id: str) -> bool:
        """Count one anonymous vote; False when this member already voted for the tip."""
        member = self._keys.key(guild_id or NO_GUILD, user_id)
        return await self._votes.add(guild_id or NO_GUILD, tip_id, member)

    def _resolve_topic(self, catalog: GuildCatalog, topic: str | None, locale: str | None) -> str:
        messages = catalog.library.messages
        available = catalog.topics_with_tips
        if topic is None:
            if not available:
                raise UserFacingError(messages.pick("tip_empty_topic"))
            return self._rng.choice(available)
        topic_id = self._match_topic(catalog, topic, locale)
        if topic_id is None:
            raise UserFacingError(messages.pick("tip_unknown_topic"))
        if topic_id not in available:
            raise UserFacingError(messages.pick("tip_empty_topic"))
        return topic_id

    @staticmethod
    def _match_topic(catalog: GuildCatalog, typed: str, locale: str | None) -> str | None:
        """Accept the id autocomplete sends, or a name typed by hand in any language."""
        library = catalog.library
        if typed in library.topics:
            return typed
        wanted = typed.strip().casefold()
        for topic in library.topics.values():
            names = {topic.name.casefold(), library.topic_text(topic, locale).name.casefold()}
            if wanted in names:
                return topic.id
        return None
