"""/api/v1 wallet and money movements: requests and resources. Amounts are integer XOF."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

from ompay.domain.errors import invalid_field
from ompay.models import (
    AccountStatus,
    CashOutRequest,
    CashOutStatus,
    EntryKind,
    EntryStatus,
    KycTier,
    Quote,
)
from ompay.repositories.hot_reads import WalletWithLimits
from ompay.schemas.fields import FREE_TEXT_PATTERN, PhoneInput, Pin, Reason, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.ledger.wallet import Line

Amount = Annotated[int, msgspec.Meta(gt=0, le=1_000_000_000, examples=[5000], description="Whole XOF")]
Description = Annotated[str, msgspec.Meta(max_length=140, pattern=FREE_TEXT_PATTERN)]
# A filter may ask beyond any real amount, not beyond what Postgres can compare (bigint).
AmountFilter = Annotated[int | None, QueryParameter(ge=0, le=2**63 - 1, description="Whole XOF")]


def comparable_instant(value: datetime | None, parameter: str) -> datetime | None:
    """A date filter Postgres can compare, or a 422 naming `parameter`.

    Python parses instants it cannot convert to UTC (year 1 at +01:45, year 9999 at -14:00).
    """
    if value is None or value.tzinfo is None:
        return value
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise invalid_field(parameter, "Date hors de la plage acceptée.", "Date out of range.") from None
    return value


class LookupRequest(RequestBody, frozen=True):
    phone: PhoneInput


class TransferRequest(RequestBody, frozen=True):
    recipient_phone: PhoneInput
    amount: Amount
    pin: Pin
    description: Description | None = None
    quote_id: UUID | None = None


class QuoteRequest(RequestBody, frozen=True):
    kind: Literal["p2p_transfer", "cash_out"]
    amount: Amount


class CashOutCreateRequest(RequestBody, frozen=True):
    customer_phone: PhoneInput
    amount: Amount


class CashOutApproveRequest(RequestBody, frozen=True):
    pin: Pin


class ReversalRequest(RequestBody, frozen=True):
    reason: Reason


class CashInRequest(RequestBody, frozen=True):
    customer_phone: PhoneInput
    amount: Amount


class SandboxFundRequest(RequestBody, frozen=True):
    amount: Amount


class FloatFundingRequest(RequestBody, frozen=True):
    agent_id: UUID
    amount: Amount


class LookupResource(Resource, frozen=True):
    masked_name: str
    can_receive: bool


class EntryResource(Resource, frozen=True):
    id: UUID
    reference: str
    kind: EntryKind
    status: EntryStatus
    amount: int
    fee: int
    currency: str
    description: str | None
    created_at: datetime


class LimitResource(msgspec.Struct, frozen=True):
    limit: int | None
    """In francs; null when the tier has no such limit."""
    headroom: int | None
    """How much still fits under it; null when there is no limit."""


class WalletLimits(msgspec.Struct, frozen=True):
    max_balance: LimitResource
    """Summed over every wallet of the same person."""
    max_monthly_credits: LimitResource
    """Money received this calendar month (Africa/Dakar), summed over the person's wallets."""
    max_per_transaction: LimitResource


class WalletResource(msgspec.Struct, frozen=True):
    number: str
    balance: int
    currency: str
    status: AccountStatus
    tier: KycTier
    limits: WalletLimits

    @classmethod
    def of(cls, overview: WalletWithLimits) -> WalletResource:
        wallet, holding = overview.wallet, overview.holding
        limits = holding.limits
        return cls(
            wallet.number,
            wallet.balance,
            wallet.currency,
            wallet.status,
            KycTier(limits.tier),
            WalletLimits(
                LimitResource(limits.max_balance, holding.balance_headroom),
                LimitResource(limits.max_monthly_credits, holding.monthly_headroom),
                LimitResource(limits.max_per_transaction, limits.max_per_transaction),
            ),
        )


class TransactionResource(msgspec.Struct, frozen=True):
    id: UUID
    entry_id: UUID
    reference: str
    kind: EntryKind
    direction: Literal["credit", "debit"]
    amount: int
    balance_after: int
    status: EntryStatus
    description: str | None
    created_at: datetime

    @classmethod
    def of(cls, line: Line) -> TransactionResource:
        posting, entry = line.posting, line.entry
        return cls(
            id=posting.id,
            entry_id=entry.id,
            reference=entry.reference,
            kind=entry.kind,
            direction="credit" if posting.amount > 0 else "debit",
            amount=abs(posting.amount),
            balance_after=posting.balance_after,
            status=entry.status,
            description=entry.description,
            created_at=posting.created_at,
        )


class QuoteResource(msgspec.Struct, frozen=True):
    id: UUID
    kind: EntryKind
    amount: int
    fee: int
    total: int
    currency: str
    expires_at: datetime

    @classmethod
    def of(cls, quote: Quote) -> QuoteResource:
        return cls(
            quote.id, quote.kind, quote.amount, quote.fee, quote.amount + quote.fee, "XOF", quote.expires_at
        )


class CashOutResource(msgspec.Struct, frozen=True):
    id: UUID
    status: CashOutStatus
    amount: int
    fee: int
    total: int
    expires_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, request: CashOutRequest) -> CashOutResource:
        return cls(
            request.id,
            request.status,
            request.amount,
            request.fee,
            request.amount + request.fee,
            request.expires_at,
            request.created_at,
        )
