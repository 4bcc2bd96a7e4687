"""The limit policy in force, from configuration."""

from __future__ import annotations

from config.settings import LedgerSettings
from ompay.domain.limits import AmountBounds, Bounds
from ompay.models import EntryKind


def amount_bounds(settings: LedgerSettings) -> AmountBounds:
    """Per-kind minimum and maximum amounts from settings, checked before any lock is taken."""
    return AmountBounds(
        {
            EntryKind.CASH_IN: Bounds(settings.cash_in_min, settings.cash_in_max),
            EntryKind.CASH_OUT: Bounds(settings.cash_out_min, settings.cash_out_max),
            EntryKind.P2P_TRANSFER: Bounds(settings.p2p_min, settings.p2p_max),
            EntryKind.MERCHANT_PAYMENT: Bounds(settings.merchant_payment_min, settings.merchant_payment_max),
            EntryKind.FLOAT_FUNDING: Bounds(1, settings.float_funding_max),
        }
    )
