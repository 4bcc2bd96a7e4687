"""The customer's channel: requests addressed to their phone approved or declined in the app,
a till code or QR paid, a merchant paid by its code (the legacy route's way, without a PIN).

Each payment moves money, so its `Idempotency-Key` is claimed by the ledger entry (per payer):
a retry finds the entry before any state check and answers with the request it settled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound, invalid_field
from ompay.domain.payments import DEFAULT_EXPIRY, request_of_qr
from ompay.models import EntryKind, Merchant, PaymentChannel, PaymentRequest, PaymentRequestStatus
from ompay.models.base import new_id
from ompay.services.ledger.posting import Idempotency, Posted
from ompay.services.merchants.payments.settlement import PaymentRequestSettlement


class CustomerPaymentService(PaymentRequestSettlement):
    """No OTP here: the customer consents with their PIN."""

    async def pending_for(self, phone: str) -> list[PaymentRequest]:
        """Requests addressed to this phone, so the app can show what awaits approval."""
        return list(await self.requests.pending_for_phone(phone))

    async def addressed_to(self, phone: str, request_id: UUID) -> PaymentRequest:
        """A request addressed to this customer's phone; anyone else's is simply not found."""
        request = await self.requests.get_one_or_none(id=request_id, customer_phone=phone)
        if request is None:
            raise NotFound()
        return request

    async def approve(
        self, customer_id: UUID, phone: str, request_id: UUID, pin: str, idempotency: Idempotency | None
    ) -> PaymentRequest:
        """A retry with the same key replays the first payment before the request is checked again."""
        request = await self.addressed_to(phone, request_id)
        if replayed := await self._replayed(customer_id, idempotency):
            return replayed
        await self._pending(request)
        payer = await self.kit.verified(customer_id, pin)
        return await self._pay(request, payer, PaymentChannel.APP, idempotency)

    async def decline(self, phone: str, request_id: UUID) -> PaymentRequest:
        """The merchant learns of it through the `payment_request.failed` event."""
        await self._pending(await self.addressed_to(phone, request_id))
        return await self._close(request_id, PaymentRequestStatus.FAILED, "declined_by_customer")

    async def pay_by_code(
        self,
        customer_id: UUID,
        pin: str,
        idempotency: Idempotency | None,
        *,
        code: str | None = None,
        qr: str | None = None,
    ) -> PaymentRequest:
        """Pay the pending request a till code or a scanned QR names."""
        if replayed := await self._replayed(customer_id, idempotency):
            return replayed
        request = await self._by_code_or_qr(code, qr)
        payer = await self.kit.verified(customer_id, pin)
        if request.customer_phone not in (None, payer.phone):
            raise NotFound()
        channel = PaymentChannel.QR if qr else PaymentChannel.PAYMENT_CODE
        return await self._pay(await self._pending(request), payer, channel, idempotency)

    async def pay_merchant(
        self,
        customer_id: UUID,
        merchant_code: str,
        amount: int,
        pin: str | None,
        idempotency: Idempotency | None,
        description: str | None = None,
    ) -> tuple[PaymentRequest, Posted]:
        """The customer picks the merchant (by code) and the amount; `pin` None is the legacy route's way."""
        if replay := await self.kit.ledger.replay(Actor("user", str(customer_id)), idempotency):
            return await self._request_of(replay.entry), replay
        merchant = await self.merchant_by_code(merchant_code)
        payer = await self.kit.verified(customer_id, pin)
        self.kit.bounds.check_amount(EntryKind.MERCHANT_PAYMENT, amount)
        request = PaymentRequest(
            id=new_id(),
            merchant_id=merchant.id,
            amount=amount,
            description=description,
            customer_phone=payer.phone,
            status=PaymentRequestStatus.PENDING,
            expires_at=datetime.now(UTC) + timedelta(seconds=DEFAULT_EXPIRY),
            extra={},
        )
        self.uow.session.add(request)
        posted = await self._post(request, merchant, payer, PaymentChannel.MERCHANT_CODE, idempotency)
        return await self._request_of(posted.entry), posted

    async def merchant_by_code(self, merchant_code: str) -> Merchant:
        """Codes are typed by people: case and margins do not matter."""
        merchant = await self.merchants.get_one_or_none(code=merchant_code.strip().upper())
        if merchant is None:
            raise invalid_field("merchant_code", "Code marchand inconnu.", "Unknown merchant code.")
        return merchant

    async def _by_code_or_qr(self, code: str | None, qr: str | None) -> PaymentRequest:
        if qr:
            found = await self.requests.get_one_or_none(id=request_of_qr(self.qr_key, qr))
        else:
            found = await self.requests.pending_by_code(code or "")
        if found is None:
            raise NotFound()
        return found
