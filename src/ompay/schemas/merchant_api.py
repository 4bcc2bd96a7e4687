"""Payloads of the API-key routes (merchant servers)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from ompay.models import AccountStatus, EntryKind, LedgerAccount
from ompay.services.ledger.wallet import Line


class MerchantBalanceResource(msgspec.Struct, frozen=True):
    available: int
    currency: str
    status: AccountStatus

    @classmethod
    def of(cls, wallet: LedgerAccount) -> MerchantBalanceResource:
        return cls(wallet.balance, wallet.currency, wallet.status)


class BalanceTransaction(msgspec.Struct, frozen=True):
    """One movement of the merchant wallet: `net` is what it changed, `gross - fee` for a payment."""

    id: UUID
    kind: EntryKind
    gross: int
    fee: int
    net: int
    balance_after: int
    currency: str
    entry_id: UUID
    reference: str
    payment_request_id: UUID | None
    refund_id: UUID | None
    created_at: datetime

    @classmethod
    def of(cls, line: Line) -> BalanceTransaction:
        posting, entry = line.posting, line.entry
        details = entry.details
        sign = 1 if posting.amount >= 0 else -1
        fee = entry.fee if entry.kind == EntryKind.MERCHANT_PAYMENT else 0
        return cls(
            id=posting.id,
            kind=entry.kind,
            gross=sign * entry.amount,
            fee=fee,
            net=posting.amount,
            balance_after=posting.balance_after,
            currency="XOF",
            entry_id=entry.id,
            reference=entry.reference,
            payment_request_id=UUID(details["payment_request_id"])
            if "payment_request_id" in details
            else None,
            refund_id=UUID(details["refund_id"]) if "refund_id" in details else None,
            created_at=posting.created_at,
        )
