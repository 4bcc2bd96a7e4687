"""Payment-request, payment and refund payloads (merchant API, customer app, sandbox)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from ompay.domain.errors import invalid_field
from ompay.domain.payments import DEFAULT_EXPIRY, MAX_EXPIRY, MIN_EXPIRY
from ompay.models import PaymentChannel, PaymentRequestStatus
from ompay.schemas.fields import (
    CODE_PATTERN,
    FREE_TEXT_PATTERN,
    TEXT_PATTERN,
    OtpCode,
    PhoneInput,
    Pin,
    RequestBody,
    parse_phone,
)
from ompay.schemas.ledger import Amount, Description
from ompay.schemas.resources import Resource
from ompay.services.merchants.payments.merchant import NewPaymentRequest

ClientReference = Annotated[
    str, msgspec.Meta(min_length=1, max_length=100, pattern=TEXT_PATTERN, examples=["CMD-2026-0042"])
]
PaymentCode = Annotated[str, msgspec.Meta(pattern=CODE_PATTERN, examples=["482913"])]
MerchantCode = Annotated[str, msgspec.Meta(pattern=r"^[Mm][Cc][Hh][0-9A-Za-z]{8}$", examples=["MCH7K2P9QX1"])]
MetadataKey = Annotated[str, msgspec.Meta(pattern=TEXT_PATTERN)]
MetadataValue = Annotated[str, msgspec.Meta(pattern=FREE_TEXT_PATTERN)]
MAX_METADATA_KEYS = 20


class PaymentRequestCreate(RequestBody, frozen=True):
    amount: Amount
    client_reference: ClientReference | None = None
    description: Description | None = None
    customer_phone: PhoneInput | None = None
    expires_in: Annotated[int, msgspec.Meta(ge=MIN_EXPIRY, le=MAX_EXPIRY, description="Seconds")] = (
        DEFAULT_EXPIRY
    )
    metadata: dict[MetadataKey, MetadataValue] | None = None

    def to_new(self, prefixes: Collection[str]) -> NewPaymentRequest:
        phone = parse_phone(self.customer_phone, prefixes, "customer_phone") if self.customer_phone else None
        return NewPaymentRequest(
            self.amount,
            self.client_reference,
            self.description,
            phone,
            self.expires_in,
            self._checked_metadata(),
        )

    def _checked_metadata(self) -> dict[str, Any] | None:
        if self.metadata and (
            len(self.metadata) > MAX_METADATA_KEYS
            or any(len(key) > 40 or len(value) > 500 for key, value in self.metadata.items())
        ):
            raise invalid_field(
                "metadata",
                "20 clés au plus, de 40 caractères, valeurs de 500 caractères au plus.",
                "At most 20 keys of 40 characters, values of at most 500 characters.",
            )
        return self.metadata


class ConfirmRequest(RequestBody, frozen=True):
    code: OtpCode


class ApproveRequest(RequestBody, frozen=True):
    pin: Pin


class PaymentCreate(RequestBody, frozen=True):
    """Pay a pending request by its till code or QR, or a merchant by its code and an amount."""

    pin: Pin
    payment_code: PaymentCode | None = None
    qr_payload: Annotated[str, msgspec.Meta(max_length=200, pattern=TEXT_PATTERN)] | None = None
    merchant_code: MerchantCode | None = None
    amount: Amount | None = None
    description: Description | None = None

    def way(self) -> Literal["payment_code", "qr_payload", "merchant_code"]:
        given = [name for name in ("payment_code", "qr_payload", "merchant_code") if getattr(self, name)]
        if len(given) != 1:
            raise invalid_field(
                "payment_code",
                "Indiquez exactement un moyen : payment_code, qr_payload ou merchant_code.",
                "Give exactly one of payment_code, qr_payload or merchant_code.",
            )
        if given[0] == "merchant_code" and self.amount is None:
            raise invalid_field("amount", "Le montant est requis pour payer un marchand par son code.")
        return given[0]  # type: ignore[return-value]


class RefundCreate(RequestBody, frozen=True):
    payment_request_id: UUID
    amount: Amount
    reason: Annotated[str, msgspec.Meta(max_length=200, pattern=FREE_TEXT_PATTERN)] | None = None


class SimulateRequest(RequestBody, frozen=True):
    action: Literal["approve", "decline", "expire"]


class CustomerPaymentRequest(Resource, frozen=True):
    """What the payer sees: the merchant's own references and metadata stay with the merchant."""

    id: UUID
    merchant_code: str
    trade_name: str
    amount: int
    currency: str
    status: PaymentRequestStatus
    channel: PaymentChannel | None
    description: str | None
    expires_at: datetime
    completed_at: datetime | None
    entry_id: UUID | None
    created_at: datetime


class CustomerPaymentRequestList(msgspec.Struct, frozen=True):
    data: list[CustomerPaymentRequest]


class OtpSent(msgspec.Struct, frozen=True):
    expires_in: int
