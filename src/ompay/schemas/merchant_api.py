"""Payloads of the API-key routes (merchant servers)."""

from __future__ import annotations

import msgspec

from ompay.models import AccountStatus, LedgerAccount


class MerchantBalanceResource(msgspec.Struct, frozen=True):
    available: int
    currency: str
    status: AccountStatus

    @classmethod
    def of(cls, wallet: LedgerAccount) -> MerchantBalanceResource:
        return cls(wallet.balance, wallet.currency, wallet.status)
