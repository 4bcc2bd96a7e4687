"""Queries over ledger accounts, journal entries and postings (locking reads included)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import insert, select, update

from ompay.domain.ledger import AccountState, PlannedPosting
from ompay.models import AccountKind, AccountStatus, JournalEntry, LedgerAccount, Posting
from ompay.models.ledger import MAY_GO_NEGATIVE


class LedgerAccountRepository(SQLAlchemyAsyncRepository[LedgerAccount]):
    model_type = LedgerAccount

    async def set_owner_wallet_status(self, owner_id: UUID, kind: AccountKind, status: AccountStatus) -> None:
        await self.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.owner_id == owner_id, LedgerAccount.kind == kind)
            .values(status=status)
        )

    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, AccountState]:
        """Lock the rows in ascending id order (the one global order, so no deadlock)."""
        stmt = (
            select(
                LedgerAccount.id,
                LedgerAccount.kind,
                LedgerAccount.status,
                LedgerAccount.balance,
                LedgerAccount.version,
                LedgerAccount.owner_id,
            )
            .where(LedgerAccount.id.in_(sorted(set(account_ids))))
            .order_by(LedgerAccount.id)
            .with_for_update()
        )
        return {
            row.id: AccountState(
                id=row.id,
                kind=row.kind.value,
                status=row.status.value,
                balance=row.balance,
                version=row.version,
                owner_id=row.owner_id,
                may_go_negative=row.kind in MAY_GO_NEGATIVE,
            )
            for row in await self.session.execute(stmt)
        }

    async def apply(self, entry_id: UUID, planned: Sequence[PlannedPosting]) -> None:
        """Write the postings and move each account to its last planned balance and version."""
        final = {posting.account_id: posting for posting in planned}
        await self.session.execute(
            update(LedgerAccount),
            [{"id": p.account_id, "balance": p.balance_after, "version": p.version} for p in final.values()],
        )
        await self.session.execute(
            insert(Posting),
            [
                {
                    "entry_id": entry_id,
                    "account_id": p.account_id,
                    "amount": p.amount,
                    "balance_after": p.balance_after,
                    "account_version": p.version,
                }
                for p in planned
            ],
        )

    async def system_account_ids(self) -> dict[AccountKind, list[UUID]]:
        """OMPAY's own accounts, shard by shard."""
        stmt = (
            select(LedgerAccount.kind, LedgerAccount.id)
            .where(LedgerAccount.owner_id.is_(None))
            .order_by(LedgerAccount.kind, LedgerAccount.shard)
        )
        accounts: dict[AccountKind, list[UUID]] = {}
        for row in await self.session.execute(stmt):
            accounts.setdefault(row.kind, []).append(row.id)
        return accounts

    async def owned(self, owner_id: UUID, kind: AccountKind) -> LedgerAccount | None:
        return await self.get_one_or_none(owner_id=owner_id, kind=kind)


class JournalEntryRepository(SQLAlchemyAsyncRepository[JournalEntry]):
    model_type = JournalEntry

    async def by_idempotency_key(self, initiator_id: str, key: str) -> JournalEntry | None:
        return await self.get_one_or_none(initiator_id=initiator_id, idempotency_key=key)
