"""Queries over payment requests and refunds (status moves are conditional updates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select, update

from ompay.models import PaymentRequest, PaymentRequestStatus, Refund


class PaymentRequestRepository(SQLAlchemyAsyncRepository[PaymentRequest]):
    model_type = PaymentRequest

    async def leave_pending(
        self, request_id: UUID, status: PaymentRequestStatus, **values: Any
    ) -> PaymentRequest | None:
        """Move a pending request to `status` (once: a concurrent move finds nothing pending)."""
        stmt = (
            update(PaymentRequest)
            .where(PaymentRequest.id == request_id, PaymentRequest.status == PaymentRequestStatus.PENDING)
            .values(status=status, sequence=PaymentRequest.sequence + 1, **values)
            .returning(PaymentRequest)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).first()

    async def add_refunded(self, request_id: UUID, amount: int) -> PaymentRequest | None:
        """Count a refund against a succeeded payment, unless it would exceed what was paid."""
        stmt = (
            update(PaymentRequest)
            .where(
                PaymentRequest.id == request_id,
                PaymentRequest.status == PaymentRequestStatus.SUCCEEDED,
                PaymentRequest.refunded_amount + amount <= PaymentRequest.amount,
            )
            .values(
                refunded_amount=PaymentRequest.refunded_amount + amount, sequence=PaymentRequest.sequence + 1
            )
            .returning(PaymentRequest)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).first()

    async def pending_by_code(self, code: str) -> PaymentRequest | None:
        return await self.get_one_or_none(payment_code=code, status=PaymentRequestStatus.PENDING)

    async def pending_for_phone(self, phone: str) -> Sequence[PaymentRequest]:
        stmt = (
            select(PaymentRequest)
            .where(
                PaymentRequest.customer_phone == phone, PaymentRequest.status == PaymentRequestStatus.PENDING
            )
            .order_by(PaymentRequest.id.desc())
        )
        return (await self.session.scalars(stmt)).all()

    async def page(
        self,
        merchant_id: UUID,
        limit: int,
        starting_after: UUID | None,
        status: PaymentRequestStatus | None,
        client_reference: str | None,
    ) -> Sequence[PaymentRequest]:
        """Newest first; ids are UUIDv7, so they order by creation and serve as the cursor."""
        stmt = select(PaymentRequest).where(PaymentRequest.merchant_id == merchant_id)
        if status is not None:
            stmt = stmt.where(PaymentRequest.status == status)
        if client_reference is not None:
            stmt = stmt.where(PaymentRequest.client_reference == client_reference)
        if starting_after is not None:
            stmt = stmt.where(PaymentRequest.id < starting_after)
        return (await self.session.scalars(stmt.order_by(PaymentRequest.id.desc()).limit(limit))).all()

    async def stale_ids(self, now: datetime, limit: int) -> Sequence[UUID]:
        stmt = (
            select(PaymentRequest.id)
            .where(PaymentRequest.status == PaymentRequestStatus.PENDING, PaymentRequest.expires_at <= now)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()


class RefundRepository(SQLAlchemyAsyncRepository[Refund]):
    model_type = Refund
