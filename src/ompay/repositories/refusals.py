"""The log of limit refusals, written outside the refused movement's transaction."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from config.logging import get_logger
from ompay.domain.actors import Actor
from ompay.domain.limits import LimitExceeded
from ompay.domain.tier_limits import CounterpartyLimitExceeded
from ompay.models.refusals import LimitRefusal

logger = get_logger(__name__)


class LimitRefusalLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def record(
        self, refusal: Exception, kind: str | None, amount: int | None, initiator: Actor
    ) -> None:
        """Log `refusal` if it is a limit's (any other is not this log's); best effort on its own
        connection: a refusal is answered even when it cannot be logged."""
        if isinstance(refusal, LimitExceeded):
            limit = refusal.limit
        elif isinstance(refusal, CounterpartyLimitExceeded):
            limit = "counterparty"
        else:
            return
        row = {
            "limit": limit,
            "entry_kind": kind,
            "amount": amount,
            "initiator_type": initiator.type,
            "initiator_id": initiator.id or initiator.type,
        }
        try:
            async with self.engine.begin() as connection:
                await connection.execute(insert(LimitRefusal).values(**row))
        except Exception as exc:
            await logger.awarning("limit refusal not logged", limit=limit, error=type(exc).__name__)
