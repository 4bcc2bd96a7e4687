"""Payment requests (what a merchant asks a customer to pay) and refunds.

A request leaves `pending` once, and only once: the migration's trigger refuses any other
status change, whatever the code does.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import JsonObject, OptionalTimestamp, RequiredTimestamp, UUIDv7AuditBase
from ompay.models.enums import PaymentChannel, PaymentRequestStatus, string_enum


class PaymentRequest(UUIDv7AuditBase):
    __tablename__ = "payment_requests"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_amount BETWEEN 0 AND amount", name="refunds_within_amount"),
        Index(
            "uq_payment_requests_pending_code",
            "payment_code",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_payment_requests_merchant_reference", "merchant_id", "client_reference"),
        Index("ix_payment_requests_merchant_id", "merchant_id", "id"),
        Index(
            "ix_payment_requests_pending_phone", "customer_phone", postgresql_where=text("status = 'pending'")
        ),
        Index(
            "ix_payment_requests_pending_expiry", "expires_at", postgresql_where=text("status = 'pending'")
        ),
        Index(
            "uq_payment_requests_idempotency",
            "merchant_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="XOF", server_default="XOF")
    client_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    description: Mapped[str | None] = mapped_column(String(200), nullable=True)
    customer_phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[PaymentRequestStatus] = mapped_column(
        string_enum(PaymentRequestStatus, "payment_request_status")
    )
    payment_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    channel: Mapped[PaymentChannel | None] = mapped_column(
        string_enum(PaymentChannel, "payment_channel"), nullable=True
    )
    expires_at: Mapped[RequiredTimestamp]
    extra: Mapped[JsonObject] = mapped_column("metadata")
    payer_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    entry_id: Mapped[UUID | None] = mapped_column(ForeignKey("journal_entries.id"), nullable=True)
    completed_at: Mapped[OptionalTimestamp]
    failure_reason: Mapped[str | None] = mapped_column(String(60), nullable=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Refund(UUIDv7AuditBase):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    payment_request_id: Mapped[UUID] = mapped_column(ForeignKey("payment_requests.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    entry_id: Mapped[UUID] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
