"""What every payment channel shares: the request's public view, and settling it exactly once.

Money moves once per request: the request leaves `pending` inside the ledger transaction (a
conditional update the database also guards), so a second approval rolls back whole.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound
from ompay.domain.ledger import Leg
from ompay.domain.merchants import MerchantNotActive, OwnMerchant
from ompay.domain.payments import PaymentRequestExpired, PaymentRequestNotPending, qr_payload
from ompay.models import (
    AccountKind,
    EntryKind,
    JournalEntry,
    Merchant,
    MerchantStatus,
    PaymentChannel,
    PaymentRequest,
    PaymentRequestStatus,
    User,
)
from ompay.repositories.merchants import MerchantRepository
from ompay.repositories.payments import PaymentRequestRepository
from ompay.services.compliance.screening import ScreeningSubject
from ompay.services.ledger.money_kit import MoneyKit
from ompay.services.ledger.posting import EntryRequest, Idempotency, Posted
from ompay.services.merchants.events import EventService
from ompay.services.merchants.payments.snapshot import PaymentRequestSnapshot


class PaymentRequestSettlement:
    """Base of the payment channels: presenting a request, paying it, closing it."""

    def __init__(self, kit: MoneyKit) -> None:
        self.kit = kit
        self.uow = kit.uow
        self.qr_key = kit.security.keys.qr_payload
        self.app_url = kit.security.settings.public_url.rstrip("/")
        self.requests = PaymentRequestRepository(session=kit.uow.session)
        self.merchants = MerchantRepository(session=kit.uow.session)
        self.events = EventService(kit.uow)

    def snapshot(self, request: PaymentRequest, merchant: Merchant) -> PaymentRequestSnapshot:
        """The till code is shown only while pending, so a used code cannot be replayed."""
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
        """One merchant query for a whole page, not one per request."""
        merchants = {
            m.id: m for m in await self.merchants.get_many(Merchant.id.in_({r.merchant_id for r in requests}))
        }
        return [self.snapshot(request, merchants[request.merchant_id]) for request in requests]

    async def snapshot_of(self, request: PaymentRequest) -> PaymentRequestSnapshot:
        """The same view merchants, customers and webhook receivers get."""
        return self.snapshot(request, await self.merchants.get(request.merchant_id))

    async def public(self, request_id: UUID) -> PaymentRequestSnapshot:
        """What the hosted page shows: anyone holding the link may see the request it names."""
        request = await self.requests.get_one_or_none(id=request_id)
        if request is None:
            raise NotFound()
        return await self.snapshot_of(request)

    async def _pending(self, request: PaymentRequest | None, allow_expired: bool = False) -> PaymentRequest:
        if request is None:
            raise NotFound()
        if request.status != PaymentRequestStatus.PENDING:
            raise PaymentRequestNotPending()
        if not allow_expired and request.expires_at <= datetime.now(UTC):
            raise PaymentRequestExpired()
        return request

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
        await self._screened(merchant)
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

    async def _screened(self, merchant: Merchant) -> None:
        person_id = (await self.kit.accounts.get(merchant.wallet_id)).person_id
        assert person_id is not None  # every merchant wallet is opened with its business person
        await self.kit.screened_payee(ScreeningSubject.of_merchant(merchant, person_id), MerchantNotActive())

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
