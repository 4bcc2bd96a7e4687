"""The double-entry ledger (LEDGER.md): accounts, journal entries and their postings.

Balances live on the account row with a version; every posting records the balance and
version it produced. The database itself refuses an overdraft on wallets and an entry
whose postings do not sum to zero (see the migration's triggers).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import (
    JsonObject,
    OptionalTimestamp,
    RequiredTimestamp,
    Timestamp,
    UUIDv7AuditBase,
    UUIDv7Base,
)
from ompay.models.enums import AccountKind, AccountStatus, CashOutStatus, EntryKind, EntryStatus, string_enum


class LedgerAccount(UUIDv7AuditBase):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint(
            "balance >= 0 OR kind IN ('emoney_issuance', 'suspense')", name="balance_not_negative"
        ),
        Index("ix_ledger_accounts_kind_shard", "kind", "shard"),
    )

    kind: Mapped[AccountKind] = mapped_column(string_enum(AccountKind, "account_kind"))
    status: Mapped[AccountStatus] = mapped_column(string_enum(AccountStatus, "account_status"))
    owner_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    person_id: Mapped[UUID | None] = mapped_column(ForeignKey("persons.id"), nullable=True, index=True)
    """Whose KYC limits the account counts towards; none for OMPAY's own accounts."""
    number: Mapped[str] = mapped_column(String(20), unique=True)
    shard: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="XOF", server_default="XOF")
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class JournalEntry(UUIDv7Base):
    __tablename__ = "journal_entries"
    __table_args__ = (
        Index(
            "uq_journal_entries_idempotency",
            "initiator_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
        Index("ix_journal_entries_created_brin", "created_at", postgresql_using="brin"),
    )

    currency: ClassVar[str] = "XOF"
    """Every entry is in XOF: amounts are whole francs and the ledger holds no other currency."""

    reference: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[EntryKind] = mapped_column(string_enum(EntryKind, "entry_kind"))
    status: Mapped[EntryStatus] = mapped_column(string_enum(EntryStatus, "entry_status"))
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    initiator_type: Mapped[str] = mapped_column(String(20))
    initiator_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[JsonObject]
    reversal_of_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("journal_entries.id"), nullable=True, unique=True
    )
    created_at: Mapped[Timestamp]


class Posting(UUIDv7Base):
    __tablename__ = "postings"
    __table_args__ = (
        Index("ix_postings_account_history", "account_id", text("created_at DESC"), text("id DESC")),
        Index("uq_postings_account_version", "account_id", "account_version", unique=True),
        Index("ix_postings_created_brin", "created_at", postgresql_using="brin"),
        CheckConstraint("amount <> 0", name="amount_not_zero"),
    )

    entry_id: Mapped[UUID] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    account_version: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[Timestamp]


class FeeSchedule(UUIDv7Base):
    """A versioned fee rule for one entry kind: percent (basis points), fixed, bounds or tiers."""

    __tablename__ = "fee_schedules"
    __table_args__ = (Index("ix_fee_schedules_kind_from", "entry_kind", "effective_from"),)

    entry_kind: Mapped[EntryKind] = mapped_column(string_enum(EntryKind, "fee_entry_kind"))
    percent_bps: Mapped[int] = mapped_column(default=0, server_default="0")
    fixed: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    minimum: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    maximum: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    tiers: Mapped[JsonObject]
    effective_from: Mapped[RequiredTimestamp]
    effective_to: Mapped[OptionalTimestamp]


class CashOutRequest(UUIDv7AuditBase):
    """An agent's cash-out, waiting for the customer's PIN approval."""

    __tablename__ = "cash_out_requests"

    agent_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    customer_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    status: Mapped[CashOutStatus] = mapped_column(string_enum(CashOutStatus, "cash_out_status"))
    expires_at: Mapped[RequiredTimestamp]
    entry_id: Mapped[UUID | None] = mapped_column(ForeignKey("journal_entries.id"), nullable=True)


class Quote(UUIDv7Base):
    """A fee quote a transfer may reference: the transfer must then match it, before it expires."""

    __tablename__ = "quotes"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(string_enum(EntryKind, "quote_entry_kind"))
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[Timestamp]
    expires_at: Mapped[RequiredTimestamp]
