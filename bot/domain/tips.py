"""Which tip a member sees next, and what a server's library looks like after its edits."""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

TipSource = Literal["library", "override", "server"]


@dataclass(frozen=True)
class TipTranslation:
    """A tip's words in one language."""

    text: str
    reflect: str | None


@dataclass(frozen=True)
class ServedTip:
    """A tip as one server sees it: library, overridden by the server, or the server's own."""

    id: str
    topic: str
    text: str
    reflect: str | None
    tags: tuple[str, ...] = ()
    translations: Mapping[str, TipTranslation] = field(default_factory=dict)
    source: TipSource = "library"


@dataclass(frozen=True)
class GuildEdits:
    """One server's changes: its own tips and overrides by id, and hidden library ids."""

    tips: Mapping[str, ServedTip] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()


def effective_tips(library: Iterable[ServedTip], edits: GuildEdits) -> list[ServedTip]:
    """Build the server's library: overrides replace, hidden ones drop out, its own tips join."""
    served = []
    for tip in library:
        if tip.id in edits.hidden:
            continue
        served.append(edits.tips.get(tip.id, tip))
    served.extend(t for t in edits.tips.values() if t.source == "server")
    return served


@dataclass(frozen=True)
class Choice:
    """The tip to show and whether this starts a fresh round of the topic."""

    tip_id: str
    new_round: bool


def choose_tip(
    candidates: Sequence[str], seen: Collection[str], rng: random.Random, last: str | None = None
) -> Choice:
    """Pick a random unseen tip; once all are seen, start over without repeating the last one."""
    if not candidates:
        raise ValueError("no tips to choose from")
    unseen = [tip for tip in candidates if tip not in seen]
    if unseen:
        return Choice(rng.choice(unseen), new_round=False)
    fresh = [tip for tip in candidates if tip != last] or list(candidates)
    return Choice(rng.choice(fresh), new_round=True)


@dataclass(frozen=True)
class SeenOp:
    """One shown tip; `new_round` first forgets the member's previous round of the topic."""

    guild_id: int
    member_key: str
    topic: str
    tip_id: str
    new_round: bool


@dataclass(frozen=True)
class TipCard:
    """Everything a member is shown for one tip, already in their language."""

    tip: ServedTip
    topic_name: str
    topic_emoji: str | None
    text: str
    reflect: str | None
    new_round: bool = False


@dataclass(frozen=True)
class TipRow:
    """One line of /tips list: a tip, whether this server hid it, and its "helped" votes."""

    tip: ServedTip
    hidden: bool
    helped: int


@dataclass(frozen=True)
class TopicStats:
    """Most and least helpful tips of one topic, by anonymous votes."""

    topic: str
    most: list[TipRow]
    least: list[TipRow]
