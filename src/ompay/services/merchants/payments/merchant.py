"""The merchant's channel: payment requests created, read and cancelled with an API key,
confirmed at the till with the customer's SMS code, expired when nobody pays them.

Creating a request moves no money, so its `Idempotency-Key` is claimed on the request itself
(`uq_payment_requests_idempotency`, per merchant): a retry gets the first request back. The
till confirmation moves money, so its key is the ledger's (see `settlement.py`).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from ompay.domain.errors import NotFound
from ompay.domain.ledger_errors import IdempotencyKeyReused
from ompay.domain.payments import DEFAULT_EXPIRY, NoCustomerPhone, PaymentRequestNotPending, payment_code
from ompay.domain.sms_texts import payment_confirmation_text
from ompay.models import EntryKind, OtpPurpose, PaymentChannel, PaymentRequest, PaymentRequestStatus
from ompay.models.base import new_id
from ompay.services.identity.otp import OtpService
from ompay.services.ledger.money_kit import MoneyKit
from ompay.services.ledger.posting import Idempotency
from ompay.services.merchants.payments.settlement import PaymentRequestSettlement

_CODE_ATTEMPTS = 5
_PENDING_CODE_INDEX = "uq_payment_requests_pending_code"
_IDEMPOTENCY_INDEX = "uq_payment_requests_idempotency"


class _PaymentCodeTaken(Exception):
    """The drawn till code belongs to another pending request."""


@dataclass(frozen=True, slots=True)
class NewPaymentRequest:
    amount: int
    client_reference: str | None = None
    description: str | None = None
    customer_phone: str | None = None
    expires_in: int = DEFAULT_EXPIRY
    metadata: dict[str, Any] | None = None


class MerchantPaymentService(PaymentRequestSettlement):
    """The till confirms with the customer's SMS code, hence an OTP service of its own."""

    def __init__(self, kit: MoneyKit) -> None:
        super().__init__(kit)
        self.otp = OtpService(kit.uow, kit.security)

    async def create(
        self, merchant_id: UUID, new: NewPaymentRequest, idempotency: Idempotency | None = None
    ) -> tuple[PaymentRequest, bool]:
        """A pending request with a till code no other pending request holds (drawn again on a clash).

        A retry with the same `Idempotency-Key` gets the first request back (and True), so a merchant
        whose call timed out never leaves two requests in front of the customer.
        """
        if (earlier := await self._created_with(merchant_id, idempotency)) is not None:
            return earlier, True
        self.kit.bounds.check_amount(EntryKind.MERCHANT_PAYMENT, new.amount)
        for _ in range(_CODE_ATTEMPTS - 1):
            with suppress(_PaymentCodeTaken):
                return await self._insert(merchant_id, new, idempotency)
        return await self._insert(merchant_id, new, idempotency)

    async def _insert(
        self, merchant_id: UUID, new: NewPaymentRequest, idempotency: Idempotency | None
    ) -> tuple[PaymentRequest, bool]:
        request = PaymentRequest(
            id=new_id(),
            merchant_id=merchant_id,
            amount=new.amount,
            client_reference=new.client_reference,
            description=new.description,
            customer_phone=new.customer_phone,
            status=PaymentRequestStatus.PENDING,
            payment_code=payment_code(),
            expires_at=datetime.now(UTC) + timedelta(seconds=new.expires_in),
            extra=new.metadata or {},
            idempotency_key=idempotency.key if idempotency else None,
            request_hash=idempotency.request_hash if idempotency else None,
        )
        self.uow.session.add(request)
        try:
            await self.uow.commit()
        except IntegrityError as exc:
            await self.uow.rollback()
            if _PENDING_CODE_INDEX in str(exc.orig):
                raise _PaymentCodeTaken() from exc
            if _IDEMPOTENCY_INDEX in str(exc.orig) and (
                earlier := await self._created_with(merchant_id, idempotency)
            ):
                return earlier, True
            raise
        return request, False

    async def _created_with(
        self, merchant_id: UUID, idempotency: Idempotency | None
    ) -> PaymentRequest | None:
        if idempotency is None:
            return None
        earlier = await self.requests.get_one_or_none(
            merchant_id=merchant_id, idempotency_key=idempotency.key
        )
        if earlier is not None and earlier.request_hash != idempotency.request_hash:
            raise IdempotencyKeyReused()
        return earlier

    async def of_merchant(self, merchant_id: UUID, request_id: UUID) -> PaymentRequest:
        """One of the merchant's requests; another merchant's is simply not found."""
        request = await self.requests.get_one_or_none(id=request_id, merchant_id=merchant_id)
        if request is None:
            raise NotFound()
        return request

    async def page(
        self,
        merchant_id: UUID,
        limit: int,
        starting_after: UUID | None,
        status: PaymentRequestStatus | None,
        client_reference: str | None,
    ) -> list[PaymentRequest]:
        """Up to `limit` requests, plus one more when there are more (see CursorPage)."""
        return list(
            await self.requests.page(merchant_id, limit + 1, starting_after, status, client_reference)
        )

    async def cancel(self, merchant_id: UUID, request_id: UUID) -> PaymentRequest:
        """Only a pending request can be cancelled; a paid one is refunded instead."""
        await self.of_merchant(merchant_id, request_id)
        return await self._close(request_id, PaymentRequestStatus.CANCELLED, "cancelled_by_merchant")

    async def send_otp(self, merchant_id: UUID, request_id: UUID) -> int:
        """Text the customer a code bound to this request; the till forwards it to `confirm`."""
        request = await self._pending(await self.of_merchant(merchant_id, request_id))
        if request.customer_phone is None:
            raise NoCustomerPhone()
        merchant = await self.merchants.get(merchant_id)
        text = payment_confirmation_text(request.amount, merchant.trade_name)
        expires_in = await self.otp.issue(
            request.customer_phone, OtpPurpose.PAYMENT_CONFIRMATION, str(request.id), text
        )
        await self.uow.commit()
        return expires_in

    async def confirm(
        self, merchant_id: UUID, request_id: UUID, code: str, idempotency: Idempotency | None
    ) -> PaymentRequest:
        """The till forwards the customer's code: the code stands for the customer's consent."""
        request = await self.of_merchant(merchant_id, request_id)
        if request.customer_phone is None:
            raise NoCustomerPhone()
        payer = await self.kit.customer(request.customer_phone)
        if replayed := await self._replayed(payer.id, idempotency):
            return replayed
        await self._pending(request)
        await self.otp.consume(request.customer_phone, OtpPurpose.PAYMENT_CONFIRMATION, code, str(request.id))
        return await self._pay(request, payer, PaymentChannel.TILL_OTP, idempotency)

    async def simulate(self, request_id: UUID, action: str) -> PaymentRequest:
        """Sandbox only: settle a pending request as its customer would, without a customer."""
        request = await self._pending(await self.requests.get_one_or_none(id=request_id), allow_expired=True)
        if action == "decline":
            return await self._close(request_id, PaymentRequestStatus.FAILED, "declined_by_customer")
        if action == "expire":
            return await self._close(request_id, PaymentRequestStatus.EXPIRED, "expired")
        if request.customer_phone is None:
            raise NoCustomerPhone()
        payer = await self.kit.customer(request.customer_phone)
        return await self._pay(request, payer, PaymentChannel.SANDBOX, None)

    async def expire_stale(self, batch: int = 500) -> int:
        """Move every pending request past its expiry to `expired` (one transaction each)."""
        expired = 0
        for request_id in await self.requests.stale_ids(datetime.now(UTC), batch):
            try:
                await self._close(request_id, PaymentRequestStatus.EXPIRED, "expired")
            except PaymentRequestNotPending:
                continue
            expired += 1
        return expired
