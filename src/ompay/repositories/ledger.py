"""Queries over ledger accounts, journal entries and postings (locking reads included)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Row,
    String,
    Uuid,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.ledger import Leg
from ompay.domain.tier_limits import TierLimitsAt
from ompay.models import (
    AccountFreeze,
    AccountKind,
    AccountStatus,
    CashOutRequest,
    CashOutStatus,
    EntryKind,
    EntryStatus,
    JournalEntry,
    LedgerAccount,
    Merchant,
    MerchantStatus,
    Posting,
)

# Activation, merchant approval or suspension never change the accounts of a person under a
# compliance freeze: only lifting the freeze (which ends it first) restores them.
_NOT_UNDER_FREEZE = ~(
    select(AccountFreeze.id)
    .where(AccountFreeze.person_id == LedgerAccount.person_id, AccountFreeze.lifted_at.is_(None))
    .exists()
)
_STATUS_MAY_CHANGE = and_(LedgerAccount.status != AccountStatus.CLOSED, _NOT_UNDER_FREEZE)
"""A closed account stays closed, and a frozen person's stay as the freeze left them: a merchant
approved or suspended, or a wallet activated, never reopens or unfreezes one."""

# The statements every money movement runs are built once.
_OWNED_ACCOUNT = select(LedgerAccount).where(
    LedgerAccount.owner_id == bindparam("owner_id"), LedgerAccount.kind == bindparam("kind")
)
_OWNED_BY = select(LedgerAccount).where(
    LedgerAccount.owner_id.in_(bindparam("owner_ids", expanding=True)),
    LedgerAccount.kind == bindparam("kind"),
)
_POST_ENTRY = (
    text(
        "SELECT outcome, detail, created_at FROM ledger_post_entry(CAST(:entry AS jsonb), "
        ":accounts, :amounts, :posting_ids, :debtor, :capped, :month, :now, "
        "CAST(:audit AS jsonb), CAST(:outbox AS jsonb))"
    )
    .bindparams(  # the JSON arguments arrive encoded by msgspec, once, not re-encoded by the driver
        bindparam("entry", type_=String),
        bindparam("accounts", type_=ARRAY(Uuid)),
        bindparam("amounts", type_=ARRAY(BigInteger)),
        bindparam("posting_ids", type_=ARRAY(Uuid)),
        bindparam("debtor", type_=Uuid),
        bindparam("capped", type_=Boolean),
        bindparam("month", type_=Date),
        bindparam("now", type_=DateTime(timezone=True)),
        bindparam("audit", type_=String),
        bindparam("outbox", type_=String),
    )
    .columns(outcome=String, detail=JSONB, created_at=DateTime(timezone=True))
)


_ENTRY_COLUMNS = (
    "id",
    "reference",
    "kind",
    "amount",
    "fee",
    "initiator_type",
    "initiator_id",
    "idempotency_key",
    "request_hash",
    "description",
    "details",
    "reversal_of_id",
)
"""What the function inserts of an entry; it sets `status` and `created_at` itself."""


def _json(row: Mapping[str, Any]) -> str:
    return msgspec.json.encode(row).decode()


@dataclass(frozen=True, slots=True)
class PostingOutcome:
    """What `ledger_post_entry` did: `posted`; `replay` (a twin holds the idempotency key);
    `refused` (`detail` says why); `reference_collision`; or `conflict` (a deadlock or
    serialization victim, `detail` has the SQLSTATE). Only `posted` leaves rows behind."""

    outcome: str
    detail: dict[str, Any] | None
    created_at: datetime | None


class LedgerAccountRepository(SQLAlchemyAsyncRepository[LedgerAccount]):
    model_type = LedgerAccount

    async def set_owner_wallet_status(self, owner_id: UUID, kind: AccountKind, status: AccountStatus) -> None:
        """Leaves a closed wallet, or a frozen person's, as it is (see `_STATUS_MAY_CHANGE`)."""
        await self.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.owner_id == owner_id, LedgerAccount.kind == kind, _STATUS_MAY_CHANGE)
            .values(status=status)
        )

    async def of_owner(self, owner_id: UUID, *, lock: bool = False) -> Sequence[LedgerAccount]:
        """Every account of the owner in ascending id order, the posting engine's lock order."""
        stmt = select(LedgerAccount).where(LedgerAccount.owner_id == owner_id).order_by(LedgerAccount.id)
        return (await self.session.scalars(stmt.with_for_update() if lock else stmt)).all()

    async def freeze_person(self, person_id: UUID) -> list[UUID]:
        """Every open account of the person frozen in one statement; returns their ids."""
        stmt = (
            update(LedgerAccount)
            .where(LedgerAccount.person_id == person_id, LedgerAccount.status != AccountStatus.CLOSED)
            .values(status=AccountStatus.FROZEN)
            .returning(LedgerAccount.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def frozen_of_person(self, person_id: UUID) -> list[tuple[UUID, MerchantStatus | None]]:
        """The person's frozen accounts, each with the status of the merchant it is the wallet of."""
        stmt = (
            select(LedgerAccount.id, Merchant.status)
            .outerjoin(Merchant, Merchant.wallet_id == LedgerAccount.id)
            .where(LedgerAccount.person_id == person_id, LedgerAccount.status == AccountStatus.FROZEN)
        )
        return [(row.id, row.status) for row in await self.session.execute(stmt)]

    async def update_status(self, account_id: UUID, status: AccountStatus) -> None:
        """Leaves a closed account, or a frozen person's, as it is (see `_STATUS_MAY_CHANGE`)."""
        await self.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.id == account_id, _STATUS_MAY_CHANGE)
            .values(status=status)
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

    async def owned_by(self, owner_ids: Sequence[UUID], kind: AccountKind) -> dict[UUID, LedgerAccount]:
        """Each owner's account of `kind`, in one round trip."""
        rows = await self.session.scalars(_OWNED_BY, {"owner_ids": list(owner_ids), "kind": kind})
        return {account.owner_id: account for account in rows if account.owner_id}

    async def owned(self, owner_id: UUID, kind: AccountKind) -> LedgerAccount | None:
        return (await self.session.scalars(_OWNED_ACCOUNT, {"owner_id": owner_id, "kind": kind})).first()


class JournalEntryRepository(SQLAlchemyAsyncRepository[JournalEntry]):
    model_type = JournalEntry

    async def by_idempotency_key(self, initiator_id: str, key: str) -> JournalEntry | None:
        return await self.get_one_or_none(initiator_id=initiator_id, idempotency_key=key)

    async def post(
        self,
        entry: JournalEntry,
        legs: Sequence[Leg],
        posting_ids: Sequence[UUID],
        debtor: UUID | None,
        limits_at: TierLimitsAt | None,
        audit: Mapping[str, Any],
        outbox: Mapping[str, Any],
    ) -> PostingOutcome:
        """The whole posting protocol in one round trip (`ledger_post_entry`, created by migration):
        claim, lock, refusals, balances, postings, audit event and outbox message."""
        row = (
            await self.session.execute(
                _POST_ENTRY,
                {
                    "entry": _json({column: getattr(entry, column) for column in _ENTRY_COLUMNS}),
                    "accounts": [leg.account_id for leg in legs],
                    "amounts": [leg.amount for leg in legs],
                    "posting_ids": list(posting_ids),
                    "debtor": debtor,
                    "capped": limits_at is not None,
                    "month": limits_at.month if limits_at else None,
                    "now": limits_at.now if limits_at else None,
                    "audit": _json(audit),
                    "outbox": _json(outbox),
                },
            )
        ).one()
        return PostingOutcome(row.outcome, row.detail, row.created_at)

    async def mark_reversed(self, entry_id: UUID) -> bool:
        """Flag a posted entry reversed once; False when it already was."""
        marked = await self.session.scalar(
            update(JournalEntry)
            .where(JournalEntry.id == entry_id, JournalEntry.status == EntryStatus.POSTED)
            .values(status=EntryStatus.REVERSED)
            .returning(JournalEntry.id)
        )
        return marked is not None


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    kind: EntryKind | None = None
    direction: str | None = None  # "credit" | "debit"
    since: datetime | None = None
    until: datetime | None = None
    min_amount: int | None = None
    max_amount: int | None = None


class PostingRepository(SQLAlchemyAsyncRepository[Posting]):
    model_type = Posting

    async def history(
        self, account_id: UUID, filters: HistoryFilter, limit: int, starting_after: UUID | None = None
    ) -> Sequence[Row[Posting, JournalEntry]]:
        """An account's postings with their entries, newest first, keyset-paginated on (created_at, id)."""
        stmt = (
            select(Posting, JournalEntry)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(Posting.account_id == account_id, *self._conditions(filters))
            .order_by(Posting.created_at.desc(), Posting.id.desc())
            .limit(limit)
        )
        if starting_after is not None:
            cursor = select(Posting.created_at, Posting.id).where(
                Posting.id == starting_after, Posting.account_id == account_id
            )
            stmt = stmt.where(tuple_(Posting.created_at, Posting.id) < cursor.scalar_subquery())
        return (await self.session.execute(stmt)).all()

    async def page(
        self, account_id: UUID, kinds: Sequence[EntryKind], offset: int, limit: int
    ) -> tuple[Sequence[Row[Posting, JournalEntry]], int]:
        """Offset pages with a total, for the legacy history (newest first)."""
        where = [Posting.account_id == account_id]
        if kinds:
            where.append(JournalEntry.kind.in_(kinds))
        base = (
            select(Posting, JournalEntry)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(*where)
        )
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.execute(
            base.order_by(Posting.created_at.desc(), Posting.id.desc()).offset(offset).limit(limit)
        )
        return rows.all(), int(total or 0)

    async def of_owner(self, owner_id: UUID) -> Sequence[Row[Posting, JournalEntry, str]]:
        """Every posting on the owner's accounts with its entry and account number, oldest first."""
        stmt = (
            select(Posting, JournalEntry, LedgerAccount.number)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
            .where(LedgerAccount.owner_id == owner_id)
            .order_by(Posting.created_at, Posting.id)
        )
        return (await self.session.execute(stmt)).all()

    async def of_entry(self, entry_id: UUID) -> Sequence[Row[Posting, JournalEntry]]:
        stmt = (
            select(Posting, JournalEntry)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(Posting.entry_id == entry_id)
            .order_by(Posting.amount)
        )
        return (await self.session.execute(stmt)).all()

    async def of_entry_for_account(
        self, account_id: UUID, entry_key: str
    ) -> Row[Posting, JournalEntry] | None:
        """The account's posting in an entry given by id or human reference (None if not theirs)."""
        by_key = JournalEntry.reference == entry_key
        with suppress(ValueError):
            by_key = or_(by_key, JournalEntry.id == UUID(entry_key))
        stmt = (
            select(Posting, JournalEntry)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(Posting.account_id == account_id, by_key)
            .limit(1)
        )
        return (await self.session.execute(stmt)).first()

    @staticmethod
    def _conditions(filters: HistoryFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.kind:
            conditions.append(JournalEntry.kind == filters.kind)
        if filters.direction == "credit":
            conditions.append(Posting.amount > 0)
        if filters.direction == "debit":
            conditions.append(Posting.amount < 0)
        if filters.since:
            conditions.append(Posting.created_at >= filters.since)
        if filters.until:
            conditions.append(Posting.created_at < filters.until)
        if filters.min_amount is not None:
            conditions.append(func.abs(Posting.amount) >= filters.min_amount)
        if filters.max_amount is not None:
            conditions.append(func.abs(Posting.amount) <= filters.max_amount)
        return conditions


class CashOutRepository(SQLAlchemyAsyncRepository[CashOutRequest]):
    model_type = CashOutRequest

    async def settle(self, request_id: UUID, status: CashOutStatus, entry_id: UUID | None = None) -> bool:
        """Move a pending request to `status` once; False when it was no longer pending."""
        settled = await self.session.scalar(
            update(CashOutRequest)
            .where(CashOutRequest.id == request_id, CashOutRequest.status == CashOutStatus.PENDING)
            .values(status=status, entry_id=entry_id)
            .returning(CashOutRequest.id)
        )
        return settled is not None

    async def expire_stale(self, batch: int) -> int:
        """Move up to `batch` pending requests past their expiry to `expired`; how many moved."""
        stale = (
            select(CashOutRequest.id)
            .where(CashOutRequest.status == CashOutStatus.PENDING, CashOutRequest.expires_at <= func.now())
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        expired = await self.session.scalars(
            update(CashOutRequest)
            .where(CashOutRequest.id.in_(stale), CashOutRequest.status == CashOutStatus.PENDING)
            .values(status=CashOutStatus.EXPIRED)
            .returning(CashOutRequest.id)
        )
        return len(expired.all())

    async def pending_for(self, customer_id: UUID) -> Sequence[CashOutRequest]:
        stmt = (
            select(CashOutRequest)
            .where(
                CashOutRequest.customer_id == customer_id,
                CashOutRequest.status == CashOutStatus.PENDING,
                CashOutRequest.expires_at > func.now(),
            )
            .order_by(CashOutRequest.created_at.desc())
        )
        return (await self.session.scalars(stmt)).all()


class ReconciliationRepository:
    """Ledger-wide aggregates that prove balances from postings."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mismatched_accounts(self) -> list[tuple[UUID, str, int, int]]:
        """Accounts whose balance is not the sum of their postings (or whose version skipped)."""
        totals = (
            select(
                Posting.account_id,
                func.sum(Posting.amount).label("total"),
                func.count().label("postings"),
            )
            .group_by(Posting.account_id)
            .subquery()
        )
        stmt = (
            select(
                LedgerAccount.id,
                LedgerAccount.number,
                LedgerAccount.balance,
                func.coalesce(totals.c.total, 0),
            )
            .outerjoin(totals, totals.c.account_id == LedgerAccount.id)
            .where(
                (LedgerAccount.balance != func.coalesce(totals.c.total, 0))
                | (LedgerAccount.version != func.coalesce(totals.c.postings, 0))
            )
        )
        return [(row[0], row[1], row[2], int(row[3])) for row in await self.session.execute(stmt)]

    async def grand_total(self) -> int:
        return int(await self.session.scalar(select(func.coalesce(func.sum(LedgerAccount.balance), 0))) or 0)

    async def account_count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(LedgerAccount)) or 0)
