"""Merchant payments: requests the customer confirms (PIN in the app, OTP at the till, QR or code),
and payments the customer starts with a merchant code.

Money moves once per request: the request leaves `pending` inside the ledger transaction
(a conditional update the database also guards), so a second approval rolls back whole.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy.exc import IntegrityError

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound, invalid_field
from ompay.domain.ledger import Leg
from ompay.domain.ledger_errors import IdempotencyKeyReused
from ompay.domain.merchants import MerchantNotActive, OwnMerchant
from ompay.domain.payments import (
    DEFAULT_EXPIRY,
    NoCustomerPhone,
    PaymentRequestExpired,
    PaymentRequestNotPending,
    payment_code,
    qr_payload,
    request_of_qr,
)
from ompay.domain.sms_texts import payment_confirmation_text
from ompay.models import (
    AccountKind,
    EntryKind,
    JournalEntry,
    Merchant,
    MerchantStatus,
    OtpPurpose,
    PaymentChannel,
    PaymentRequest,
    PaymentRequestStatus,
    User,
)
from ompay.models.base import new_id
from ompay.repositories.merchants import MerchantRepository
from ompay.repositories.payments import PaymentRequestRepository
from ompay.services.events import EventService
from ompay.services.ledger import EntryRequest, Idempotency, Posted
from ompay.services.money_kit import MoneyKit
from ompay.services.otp import OtpService

_CODE_ATTEMPTS = 5
_PENDING_CODE_INDEX = "uq_payment_requests_pending_code"
_IDEMPOTENCY_INDEX = "uq_payment_requests_idempotency"


class _PaymentCodeTaken(Exception):
    """The drawn till code belongs to another pending request."""


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


@dataclass(frozen=True, slots=True)
class NewPaymentRequest:
    amount: int
    client_reference: str | None = None
    description: str | None = None
    customer_phone: str | None = None
    expires_in: int = DEFAULT_EXPIRY
    metadata: dict[str, Any] | None = None


class PaymentService:
    def __init__(self, kit: MoneyKit, otp: OtpService, qr_key: bytes, app_url: str) -> None:
        self.kit = kit
        self.uow = kit.uow
        self.otp = otp
        self.qr_key = qr_key
        self.app_url = app_url.rstrip("/")
        self.requests = PaymentRequestRepository(session=kit.uow.session)
        self.merchants = MerchantRepository(session=kit.uow.session)
        self.events = EventService(kit.uow)

    @classmethod
    def build(cls, kit: MoneyKit) -> PaymentService:
        security = kit.security
        return cls(kit, OtpService(kit.uow, security), security.keys.qr_payload, security.settings.public_url)

    # Merchant side

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

    # Customer side

    async def pending_for(self, phone: str) -> list[PaymentRequest]:
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
        request = await self.addressed_to(phone, request_id)
        if replayed := await self._replayed(customer_id, idempotency):
            return replayed
        await self._pending(request)
        payer = await self.kit.verified(customer_id, pin)
        return await self._pay(request, payer, PaymentChannel.APP, idempotency)

    async def decline(self, phone: str, request_id: UUID) -> PaymentRequest:
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
        merchant = await self.merchants.get_one_or_none(code=merchant_code.strip().upper())
        if merchant is None:
            raise invalid_field("merchant_code", "Code marchand inconnu.", "Unknown merchant code.")
        return merchant

    # Sandbox and jobs

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

    # Presentation

    def snapshot(self, request: PaymentRequest, merchant: Merchant) -> PaymentRequestSnapshot:
        return PaymentRequestSnapshot(
            id=request.id,
            merchant_code=merchant.code,
            trade_name=merchant.trade_name,
            amount=request.amount,
            fee=request.fee,
            refunded_amount=request.refunded_amount,
            currency=request.currency,
            status=request.status,
            client_reference=request.client_reference,
            description=request.description,
            customer_phone=request.customer_phone,
            payment_code=request.payment_code if request.status == PaymentRequestStatus.PENDING else None,
            qr_payload=qr_payload(self.qr_key, request.id),
            payment_url=f"{self.app_url}/pay/{request.id}",
            channel=request.channel,
            expires_at=request.expires_at,
            completed_at=request.completed_at,
            failure_reason=request.failure_reason,
            entry_id=request.entry_id,
            metadata=request.extra,
            sequence=request.sequence,
            created_at=request.created_at,
        )

    async def snapshots(self, requests: list[PaymentRequest]) -> list[PaymentRequestSnapshot]:
        merchants = {
            m.id: m for m in await self.merchants.get_many(Merchant.id.in_({r.merchant_id for r in requests}))
        }
        return [self.snapshot(request, merchants[request.merchant_id]) for request in requests]

    async def snapshot_of(self, request: PaymentRequest) -> PaymentRequestSnapshot:
        return self.snapshot(request, await self.merchants.get(request.merchant_id))

    async def public(self, request_id: UUID) -> PaymentRequestSnapshot:
        """What the hosted page shows: anyone holding the link may see the request it names."""
        request = await self.requests.get_one_or_none(id=request_id)
        if request is None:
            raise NotFound()
        return await self.snapshot_of(request)

    # Internals

    async def _pending(self, request: PaymentRequest | None, allow_expired: bool = False) -> PaymentRequest:
        if request is None:
            raise NotFound()
        if request.status != PaymentRequestStatus.PENDING:
            raise PaymentRequestNotPending()
        if not allow_expired and request.expires_at <= datetime.now(UTC):
            raise PaymentRequestExpired()
        return request

    async def _by_code_or_qr(self, code: str | None, qr: str | None) -> PaymentRequest:
        if qr:
            found = await self.requests.get_one_or_none(id=request_of_qr(self.qr_key, qr))
        else:
            found = await self.requests.pending_by_code(code or "")
        if found is None:
            raise NotFound()
        return found

    async def _replayed(self, payer_id: UUID, idempotency: Idempotency | None) -> PaymentRequest | None:
        """The request an earlier call with this idempotency key paid, before any state check."""
        replay = await self.kit.ledger.replay(Actor("user", str(payer_id)), idempotency)
        return await self._request_of(replay.entry) if replay else None

    async def _request_of(self, entry: JournalEntry) -> PaymentRequest:
        return await self.requests.get(UUID(entry.details["payment_request_id"]))

    async def _pay(
        self, request: PaymentRequest, payer: User, channel: PaymentChannel, idempotency: Idempotency | None
    ) -> PaymentRequest:
        merchant = await self.merchants.get(request.merchant_id)
        posted = await self._post(request, merchant, payer, channel, idempotency)
        return await self._request_of(posted.entry) if posted.replayed else request

    async def _post(
        self,
        request: PaymentRequest,
        merchant: Merchant,
        payer: User,
        channel: PaymentChannel,
        idempotency: Idempotency | None,
    ) -> Posted:
        """One entry (customer -amount, merchant +amount-fee, fee revenue +fee) that settles the request."""
        if merchant.status != MerchantStatus.ACTIVE:
            raise MerchantNotActive()
        if await self.merchants.is_member(merchant.id, payer.id):
            raise OwnMerchant()
        wallet = await self.kit.account(payer.id, AccountKind.CUSTOMER_WALLET)
        fee = await self.kit.fees.fee_for(EntryKind.MERCHANT_PAYMENT, request.amount)
        legs = [Leg(wallet.id, -request.amount), Leg(merchant.wallet_id, request.amount - fee)]
        if fee:
            legs.append(Leg(await self.kit.system_account(AccountKind.FEE_REVENUE), fee))

        async def succeed(entry: JournalEntry) -> None:
            settled = await self.requests.leave_pending(
                request.id,
                PaymentRequestStatus.SUCCEEDED,
                entry_id=entry.id,
                payer_id=payer.id,
                channel=channel,
                fee=fee,
                completed_at=datetime.now(UTC),
            )
            if settled is None:
                raise PaymentRequestNotPending()
            self._record_event("payment_request.succeeded", settled, merchant)

        return await self.kit.ledger.post(
            EntryRequest(
                kind=EntryKind.MERCHANT_PAYMENT,
                amount=request.amount,
                fee=fee,
                legs=tuple(legs),
                initiator=Actor("user", str(payer.id)),
                debtor=wallet.id,
                idempotency=idempotency,
                description=request.description or merchant.trade_name,
                details={
                    "payment_request_id": str(request.id),
                    "merchant_id": str(merchant.id),
                    "merchant_code": merchant.code,
                    "channel": channel.value,
                },
            ),
            within=succeed,
        )

    async def _close(self, request_id: UUID, status: PaymentRequestStatus, reason: str) -> PaymentRequest:
        closed = await self.requests.leave_pending(
            request_id, status, failure_reason=reason, completed_at=datetime.now(UTC)
        )
        if closed is None:
            await self.uow.rollback()
            raise PaymentRequestNotPending()
        merchant = await self.merchants.get(closed.merchant_id)
        self._record_event(f"payment_request.{status.value}", closed, merchant)
        await self.uow.commit()
        return closed

    def _record_event(self, type: str, request: PaymentRequest, merchant: Merchant) -> None:
        snapshot = msgspec.to_builtins(self.snapshot(request, merchant))
        self.events.record(merchant.id, type, request.id, request.sequence, snapshot)
