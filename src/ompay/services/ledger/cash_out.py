"""Agent cash-out: the agent asks, the customer approves with their PIN, then money moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound
from ompay.domain.ledger import Leg
from ompay.domain.ledger_errors import CashOutNotPending
from ompay.models import AccountKind, CashOutRequest, CashOutStatus, EntryKind, JournalEntry
from ompay.models.base import new_id
from ompay.repositories.ledger import CashOutRepository
from ompay.services.ledger.money_kit import MoneyKit
from ompay.services.ledger.posting import EntryRequest, Idempotency, Posted
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork


class CashOutService:
    def __init__(self, kit: MoneyKit, notifications: NotificationService, ttl_seconds: int) -> None:
        self.kit = kit
        self.uow = kit.uow
        self.requests = CashOutRepository(session=kit.uow.session)
        self.notifications = notifications
        self.ttl = timedelta(seconds=ttl_seconds)

    async def request(self, agent_id: UUID, customer_phone: str, amount: int) -> CashOutRequest:
        """Record the agent's request and text the customer; nothing moves until they approve."""
        self.kit.bounds.check_amount(EntryKind.CASH_OUT, amount)
        customer = await self.kit.customer(customer_phone)
        await self.kit.account(agent_id, AccountKind.AGENT_FLOAT)
        fee = await self.kit.fees.fee_for(EntryKind.CASH_OUT, amount)
        request = CashOutRequest(
            id=new_id(),
            agent_id=agent_id,
            customer_id=customer.id,
            amount=amount,
            fee=fee,
            status=CashOutStatus.PENDING,
            expires_at=datetime.now(UTC) + self.ttl,
        )
        self.uow.session.add(request)
        self.notifications.queue_sms(
            customer.phone,
            f"OMPAY : un agent demande un retrait de {amount} F (frais {fee} F). "
            "Validez-le dans l'application avec votre code PIN. Sinon, ignorez ce message.",
        )
        await self.uow.commit()
        return request

    async def pending(self, customer_id: UUID) -> list[CashOutRequest]:
        """What the customer must approve or decline before it expires; nothing has moved yet."""
        return list(await self.requests.pending_for(customer_id))

    async def approve(
        self, customer_id: UUID, request_id: UUID, pin: str, idempotency: Idempotency | None
    ) -> Posted:
        """PIN, then one entry (customer -amount-fee, agent +amount, fees +fee) that settles the request."""
        request = await self._own_pending(customer_id, request_id)
        await self.kit.check_pin(customer_id, pin)
        wallet = await self.kit.account(customer_id, AccountKind.CUSTOMER_WALLET)
        float_account = await self.kit.account(request.agent_id, AccountKind.AGENT_FLOAT)
        legs = [Leg(wallet.id, -(request.amount + request.fee)), Leg(float_account.id, request.amount)]
        if request.fee:
            legs.append(Leg(await self.kit.system_account(AccountKind.FEE_REVENUE), request.fee))

        async def settle(entry: JournalEntry) -> None:
            if not await self.requests.settle(request_id, CashOutStatus.APPROVED, entry.id):
                raise CashOutNotPending()

        entry_request = EntryRequest(
            kind=EntryKind.CASH_OUT,
            amount=request.amount,
            fee=request.fee,
            legs=tuple(legs),
            initiator=Actor("user", str(customer_id)),
            debtor=wallet.id,
            idempotency=idempotency,
            details={"cash_out_request_id": str(request_id), "agent_id": str(request.agent_id)},
        )
        return await self.kit.ledger.post(entry_request, within=settle)

    async def decline(self, customer_id: UUID, request_id: UUID) -> None:
        """The customer refuses an agent's request: it closes without any money moving."""
        await self._own_pending(customer_id, request_id)
        if not await self.requests.settle(request_id, CashOutStatus.DECLINED):
            raise CashOutNotPending()
        await self.uow.commit()

    async def _own_pending(self, customer_id: UUID, request_id: UUID) -> CashOutRequest:
        request = await self.requests.get_one_or_none(id=request_id, customer_id=customer_id)
        if request is None:
            raise NotFound()
        if request.status != CashOutStatus.PENDING or request.expires_at <= datetime.now(UTC):
            raise CashOutNotPending()
        return request


async def expire_stale_cash_outs(uow: UnitOfWork, batch: int = 500) -> int:
    """Pending requests past their expiry become `expired`: the agent must ask again."""
    expired = await CashOutRepository(session=uow.session).expire_stale(batch)
    await uow.commit()
    return expired
