"""A payment request as merchants, customers and webhook receivers see it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from ompay.models import PaymentChannel, PaymentRequestStatus


class PaymentRequestSnapshot(msgspec.Struct, frozen=True):
    """A payment request as merchants, customers and webhook receivers see it."""

    id: UUID
    merchant_code: str
    trade_name: str
    amount: int
    fee: int
    refunded_amount: int
    currency: str
    status: PaymentRequestStatus
    client_reference: str | None
    description: str | None
    customer_phone: str | None
    payment_code: str | None
    qr_payload: str
    payment_url: str
    channel: PaymentChannel | None
    expires_at: datetime
    completed_at: datetime | None
    failure_reason: str | None
    entry_id: UUID | None
    metadata: dict[str, Any]
    sequence: int
    created_at: datetime
