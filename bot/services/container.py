"""The service container: repositories wired into use cases, in one place.

Nothing here touches discord: what the scheduled features send goes through
`Posting`, a port that `bot.publishing.Publisher` implements. `bot.app` builds
the publisher around the client and hands it in here, then gives the result to
the bot, whose extensions take their use cases from it when they are set up.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from bot.clock import Clock
from bot.config import Config
from bot.content.store import ContentStore
from bot.content.support_loader import SupportSource
from bot.domain.member_key import MemberKeys
from bot.domain.prompts import SharePrompts
from bot.services.accountability import GoalsService
from bot.services.accountability_poster import ThreadPoster
from bot.services.accountability_weeks import WeeklyThreadsService
from bot.services.celebrations import KIND as CELEBRATION
from bot.services.celebrations import CelebrationService, Poster
from bot.services.cluster_versions import ClusterVersions
from bot.services.command_sync import CommandSyncService
from bot.services.content_admin import ContentAdminService
from bot.services.guild_setup import GuildSetupService
from bot.services.identify_slots import IdentifySlots
from bot.services.privacy import PrivacyService
from bot.services.rejections import RejectionService
from bot.services.support import SupportService
from bot.services.tip_catalog import TipCatalog
from bot.services.tips import TipsService
from bot.services.weekly_runs import Leases, RetryCount, Sleep
from bot.services.wins import WinsService
from bot.storage.accountability import GoalsRepository, MembershipRepository
from bot.storage.audit import AuditRepository
from bot.storage.forget_marks import ForgetMarks
from bot.storage.group_commit import GroupCommit
from bot.storage.guild_settings import GuildSettingsRepository
from bot.storage.member_data import MemberDataHolder
from bot.storage.meta import MetaRepository
from bot.storage.port import Store
from bot.storage.rejections import RejectionRepository
from bot.storage.scheduled_posts import ScheduledPostsRepository
from bot.storage.support import PLAN_SCOPE, GuildSupportRepository, SupportPlanRepository
from bot.storage.tip_history import SeenTracker
from bot.storage.tips import GuildTipsRepository, TipHistoryRepository, TipVotesRepository
from bot.storage.versions import VersionsRepository
from bot.storage.wins import WIN_SCOPE, WinsRepository


class Posting(Poster, ThreadPoster, Protocol):
    """Everything scheduled features send to Discord, as one port (bot.publishing implements it)."""


@dataclass(frozen=True)
class Services:
    """The use cases extensions call; built once per process."""

    command_sync: CommandSyncService
    cluster: ClusterVersions
    identify_slots: IdentifySlots
    content: ContentStore
    history: SeenTracker
    writes: GroupCommit  # closed before the database, so no acknowledged write is cut off
    tips: TipsService
    content_admin: ContentAdminService
    rejections: RejectionService
    privacy: PrivacyService
    support: SupportService
    wins: WinsService
    celebrations: CelebrationService
    setup: GuildSetupService
    accountability: GoalsService
    accountability_weeks: WeeklyThreadsService
    share_prompts: SharePrompts  # which tip prompts were already shared (first press wins)


def build_services(
    config: Config,
    db: Store,
    store: ContentStore,
    support: SupportSource,
    keys: MemberKeys,
    clock: Clock,
    posting: Posting,
    leases_owner: str,
    *,
    seed: int | None = None,
    sleep: Sleep = asyncio.sleep,
    count_retry: RetryCount,
) -> Services:
    """Repositories into services; the only place that knows every constructor."""

    def rng(purpose: str) -> random.Random:
        # One stream per service, so a change in one feature's draws leaves the others' alone.
        # Not for security (S311): the streams pick wording variants and tips.
        return random.Random(f"{seed}:{purpose}") if seed is not None else random.Random()  # noqa: S311

    guild_tips = GuildTipsRepository(db)
    history = SeenTracker(TipHistoryRepository(db), ForgetMarks(db))
    votes, audit = TipVotesRepository(db), AuditRepository(db)
    writes = GroupCommit(db)  # the member commands' writes, committed in batches
    rejections, settings = RejectionRepository(db, writes), GuildSettingsRepository(db)
    plans = SupportPlanRepository(db, partial(keys.key, scope=PLAN_SCOPE))
    wins = WinsRepository(db, writes, partial(keys.key, scope=WIN_SCOPE))
    catalog = TipCatalog(store, guild_tips)

    def drop_caches() -> None:
        catalog.clear()
        history.drop_cached()
        rejections.drop_cached()
        settings.forget_cached()

    cluster = ClusterVersions(
        VersionsRepository(db), store.reload, drop_caches, history.forgets_seen
    )
    tips = TipsService(catalog, history, votes, keys, rng=rng("tips"))
    goals, members = GoalsRepository(db, writes), MembershipRepository(db, writes)
    posts = ScheduledPostsRepository(db)

    async def celebration_posted(guild_id: int, week: str) -> bool:
        return await posts.status(guild_id, CELEBRATION, week) is not None

    lease_seconds = config.schedule.lease_seconds
    leases = Leases(posts, clock, leases_owner, lease_seconds, sleep, count_retry)
    holders: list[MemberDataHolder] = [
        rejections,
        history,
        votes,
        audit,
        plans,
        wins,
        goals,
        members,
    ]
    weekly = WeeklyThreadsService(
        settings, leases, members, goals, store, clock, config, posting, rng=rng("weekly")
    )
    return Services(
        share_prompts=SharePrompts(),
        command_sync=CommandSyncService(MetaRepository(db)),
        cluster=cluster,
        identify_slots=IdentifySlots(MetaRepository(db)),
        content=store,
        history=history,
        writes=writes,
        tips=tips,
        content_admin=ContentAdminService(store, catalog, guild_tips, votes, audit, clock, cluster),
        rejections=RejectionService(
            rejections, settings, keys, clock, store, tips, config, rng=rng("rejections")
        ),
        privacy=PrivacyService(
            db,
            holders,
            keys,
            clock,
            store,
            config.privacy.forget_me_confirm_minutes,
            [history.flush],
            cluster.caches_outdated,
        ),
        support=SupportService(support, plans, GuildSupportRepository(db), audit, keys, clock),
        wins=WinsService(wins, settings, keys, clock, store, config, celebration_posted),
        celebrations=CelebrationService(
            wins,
            leases,
            settings,
            rejections,
            store,
            clock,
            config,
            posting,
            weekly.goals_line,
        ),
        setup=GuildSetupService(settings, audit, store, clock, config, cluster.caches_outdated),
        accountability=GoalsService(goals, members, settings, posts, store, clock, config),
        accountability_weeks=weekly,
    )
