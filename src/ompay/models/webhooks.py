"""Merchant events (the feed), webhook endpoints, and every delivery attempt."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import (
    OptionalTimestamp,
    RequiredTimestamp,
    Timestamp,
    UUIDv7AuditBase,
    UUIDv7Base,
)
from ompay.models.enums import DeliveryOutcome, string_enum


class WebhookEndpoint(UUIDv7AuditBase):
    """Where a merchant wants events. Secrets are sealed (we must sign with them), never hashed."""

    __tablename__ = "webhook_endpoints"

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(200), nullable=True)
    events: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    secret_sealed: Mapped[str] = mapped_column(Text)
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    previous_secret_expires_at: Mapped[OptionalTimestamp]
    disabled_at: Mapped[OptionalTimestamp]


class MerchantEvent(UUIDv7Base):
    """Something that happened to a merchant's object, with its full snapshot at that sequence."""

    __tablename__ = "merchant_events"
    __table_args__ = (Index("ix_merchant_events_merchant_id", "merchant_id", "id"),)

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"))
    type: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[UUID]
    sequence: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[Timestamp]


class WebhookDelivery(UUIDv7Base):
    """One attempt to deliver one event to one endpoint, recorded (`sending`) before the call.

    Attempts belong to a series (the first delivery, or each redelivery) named by when it
    started. `next_attempt_at` is when the series should go on if nothing else happens: the
    retry time after a failure, the end of the lease while `sending`.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_merchant_id", "merchant_id", "id"),
        Index(
            "ix_webhook_deliveries_next_attempt_at",
            "next_attempt_at",
            postgresql_where=text("next_attempt_at IS NOT NULL"),
        ),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"))
    event_id: Mapped[UUID] = mapped_column(ForeignKey("merchant_events.id"), index=True)
    endpoint_id: Mapped[UUID] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[DeliveryOutcome] = mapped_column(string_enum(DeliveryOutcome, "delivery_outcome"))
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[OptionalTimestamp]
    series_started_at: Mapped[RequiredTimestamp]
    created_at: Mapped[Timestamp]
