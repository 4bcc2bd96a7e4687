"""Refunds: money back from the merchant's wallet to the customer who paid, never more than was paid."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound
from ompay.domain.ledger import Leg
from ompay.domain.payments import PaymentNotRefundable, refund_exceeds_remaining
from ompay.domain.sms_texts import refund_text
from ompay.models import AccountKind, EntryKind, JournalEntry, PaymentRequestStatus, Refund
from ompay.models.base import new_id
from ompay.repositories.payments import RefundRepository
from ompay.services.ledger.posting import EntryRequest, Idempotency
from ompay.services.merchants.payments.merchant import MerchantPaymentService
from ompay.services.notifications import NotificationService


class RefundSnapshot(msgspec.Struct, frozen=True):
    id: UUID
    payment_request_id: UUID
    amount: int
    currency: str
    reason: str | None
    status: str
    entry_id: UUID
    created_at: datetime

    @classmethod
    def of(cls, refund: Refund) -> RefundSnapshot:
        """Refunds settle in the same transaction as their ledger entry, so a stored refund has succeeded."""
        return cls(
            id=refund.id,
            payment_request_id=refund.payment_request_id,
            amount=refund.amount,
            currency="XOF",
            reason=refund.reason,
            status="succeeded",
            entry_id=refund.entry_id,
            created_at=refund.created_at,
        )


class RefundService:
    def __init__(self, payments: MerchantPaymentService, notifications: NotificationService) -> None:
        self.payments = payments
        self.kit = payments.kit
        self.uow = payments.uow
        self.refunds = RefundRepository(session=payments.uow.session)
        self.notifications = notifications

    async def refund(
        self,
        merchant_id: UUID,
        payment_request_id: UUID,
        amount: int,
        reason: str | None,
        idempotency: Idempotency | None,
    ) -> tuple[Refund, bool]:
        """The refund, and whether it replays an earlier request with the same idempotency key."""
        if replay := await self.kit.ledger.replay(Actor("merchant", str(merchant_id)), idempotency):
            return await self.refunds.get_one(entry_id=replay.entry.id), True
        payment = await self.payments.of_merchant(merchant_id, payment_request_id)
        if payment.status != PaymentRequestStatus.SUCCEEDED or payment.payer_id is None:
            raise PaymentNotRefundable()
        if amount > payment.amount - payment.refunded_amount:
            raise refund_exceeds_remaining(payment.amount - payment.refunded_amount)
        merchant = await self.payments.merchants.get(merchant_id)
        payer = await self.kit.users.get(payment.payer_id)
        customer = await self.kit.account(payer.id, AccountKind.CUSTOMER_WALLET)
        refund = Refund(
            id=new_id(), merchant_id=merchant_id, payment_request_id=payment.id, amount=amount, reason=reason
        )

        async def record(entry: JournalEntry) -> None:
            counted = await self.payments.requests.add_refunded(payment.id, amount)
            if counted is None:  # a concurrent refund took the rest
                raise refund_exceeds_remaining(0)
            refund.entry_id = entry.id
            self.uow.session.add(refund)
            await self.uow.session.flush()
            snapshot = msgspec.to_builtins(RefundSnapshot.of(refund))
            self.payments.events.record(merchant_id, "refund.succeeded", refund.id, 1, snapshot)
            self.payments.events.record(
                merchant_id,
                "payment_request.refunded",
                counted.id,
                counted.sequence,
                msgspec.to_builtins(self.payments.snapshot(counted, merchant)),
            )
            self.notifications.queue_sms(
                payer.phone, refund_text(amount, merchant.trade_name, entry.reference)
            )

        posted = await self.kit.ledger.post(
            _refund_entry(merchant.wallet_id, customer.id, refund, idempotency),
            within=record,
        )
        if posted.replayed:
            return await self.refunds.get_one(entry_id=posted.entry.id), True
        return refund, False

    async def of_merchant(self, merchant_id: UUID, refund_id: UUID) -> Refund:
        """Another merchant's refund is simply not found."""
        refund = await self.refunds.get_one_or_none(id=refund_id, merchant_id=merchant_id)
        if refund is None:
            raise NotFound()
        return refund


def _refund_entry(
    merchant_wallet: UUID, customer_wallet: UUID, refund: Refund, idempotency: Idempotency | None
) -> EntryRequest:
    return EntryRequest(
        kind=EntryKind.REFUND,
        amount=refund.amount,
        legs=(Leg(merchant_wallet, -refund.amount), Leg(customer_wallet, refund.amount)),
        initiator=Actor("merchant", str(refund.merchant_id)),
        debtor=merchant_wallet,
        idempotency=idempotency,
        description=refund.reason,
        details={"payment_request_id": str(refund.payment_request_id), "refund_id": str(refund.id)},
    )
