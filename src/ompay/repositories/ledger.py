"""Queries over ledger accounts."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import update

from ompay.models import AccountKind, AccountStatus, LedgerAccount


class LedgerAccountRepository(SQLAlchemyAsyncRepository[LedgerAccount]):
    model_type = LedgerAccount

    async def set_owner_wallet_status(self, owner_id: UUID, kind: AccountKind, status: AccountStatus) -> None:
        await self.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.owner_id == owner_id, LedgerAccount.kind == kind)
            .values(status=status)
        )
