"""Fee quotes: the price of a movement, held for a few minutes for the one who asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from ompay.domain.ledger_errors import QuoteInvalid
from ompay.domain.limits import AmountBounds
from ompay.models import EntryKind, Quote
from ompay.models.base import new_id
from ompay.services.ledger.fees import FeeService
from ompay.services.unit_of_work import UnitOfWork


class QuoteService:
    def __init__(self, uow: UnitOfWork, bounds: AmountBounds, ttl_seconds: int) -> None:
        self.uow = uow
        self.bounds = bounds
        self.fees = FeeService(uow)
        self.ttl = timedelta(seconds=ttl_seconds)

    async def quote(self, user_id: UUID, kind: EntryKind, amount: int) -> Quote:
        """Fixes the fee for a short time, so the customer pays what they were shown even if fees change."""
        self.bounds.check_amount(kind, amount)
        quote = Quote(
            id=new_id(),
            user_id=user_id,
            kind=kind,
            amount=amount,
            fee=await self.fees.fee_for(kind, amount),
            expires_at=datetime.now(UTC) + self.ttl,
        )
        self.uow.session.add(quote)
        await self.uow.commit()
        return quote

    async def honour(self, quote_id: UUID, user_id: UUID, kind: EntryKind, amount: int) -> int:
        """The quoted fee, if the quote is the caller's, for this kind and amount, and still valid."""
        quote = await self.uow.session.get(Quote, quote_id)
        if (
            quote is None
            or quote.user_id != user_id
            or quote.kind != kind
            or quote.amount != amount
            or quote.expires_at <= datetime.now(UTC)
        ):
            raise QuoteInvalid()
        return quote.fee
