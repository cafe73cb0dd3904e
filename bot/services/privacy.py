"""/my-data and /forget-me across every repository that holds member data."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from bot.clock import Clock
from bot.content.messages import Messages
from bot.content.store import ContentStore
from bot.domain.member_key import MemberKeys, MemberRef
from bot.storage.member_data import MemberDataHolder
from bot.storage.port import Store


class PrivacyService:
    """Finds a member's data through their key (or id where a feature needs it), exports or deletes it."""

    def __init__(
        self,
        db: Store,
        holders: Sequence[MemberDataHolder],
        keys: MemberKeys,
        clock: Clock,
        store: ContentStore,
        confirm_minutes: int,
        flushes: Sequence[Callable[[], Awaitable[None]]] = (),
        forgotten: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._forgotten = forgotten  # tells the other processes to drop what they cached
        self._db, self._holders, self._keys, self._clock = db, holders, keys, clock
        self._store = store
        self.confirm_minutes = confirm_minutes
        self._flushes = flushes  # write-behind queues to empty before reading or deleting

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next export."""
        return self._store.library.messages

    @property
    def holders(self) -> Sequence[MemberDataHolder]:
        """Return every repository that /forget-me must reach (a meta test checks none is missed)."""
        return self._holders

    def member(self, guild_id: int, user_id: int) -> MemberRef:
        """Return the ids together with the member key that rejection data is stored under."""
        return MemberRef(guild_id, user_id, self._keys.key(guild_id, user_id))

    async def export(self, guild_id: int, user_id: int) -> str:
        """Everything held about the member in this server, as pretty JSON."""
        member = self.member(guild_id, user_id)
        for flush in self._flushes:
            await flush()
        data: dict[str, object] = {
            "server_id": str(guild_id),
            "exported_at": self._clock.now().isoformat(timespec="seconds"),
            "note": self.messages.pick("my_data_note"),
        }
        for holder in self._holders:
            data[holder.section] = await holder.export(member)
        return json.dumps(data, indent=2, ensure_ascii=False)

    async def forget(self, guild_id: int, user_id: int) -> int:
        """Delete everything about the member in this server, all or nothing."""
        member = self.member(guild_id, user_id)
        for flush in self._flushes:
            await flush()
        removed = 0
        async with self._db.transaction() as tx:
            for holder in self._holders:
                removed += await holder.delete(tx, member)
        if self._forgotten is not None:
            await self._forgotten()
        return removed

    def confirmation_deadline(self) -> int:
        """Unix time after which a /forget-me confirmation no longer works."""
        return int((self._clock.now() + timedelta(minutes=self.confirm_minutes)).timestamp())

    def expired(self, deadline: int) -> bool:
        """Say whether a /forget-me confirmation made with `deadline` came too late."""
        return self._clock.now().timestamp() > deadline
