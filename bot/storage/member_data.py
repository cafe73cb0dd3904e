"""The contract every repository holding member data signs, so /my-data and /forget-me see it all.

Each holder exports and deletes one member's rows in one server, found by the
pseudonymous member key, or by the Discord user id where a feature must know
who to mention (never next to rejection data). /forget-me runs every holder's
`delete` inside one transaction; a meta test lists all tables with a member
column and fails when one is not covered by a holder.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.member_key import MemberRef
from bot.storage.port import Transaction


class MemberDataHolder(Protocol):
    """A repository that stores something about a member."""

    #: Section name in the /my-data export, e.g. "rejections".
    section: str
    #: Tables this holder covers (checked by the privacy meta test).
    tables: tuple[str, ...]

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Everything stored about the member in this server, as plain JSON-ready rows."""
        ...

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the member's rows through `tx` (the caller's transaction)."""
        ...
