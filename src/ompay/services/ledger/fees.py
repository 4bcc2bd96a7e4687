"""The fee in force for a movement, from the versioned schedule (no schedule: free)."""

from __future__ import annotations

from datetime import UTC, datetime

from config.logging import get_logger
from ompay.domain.fees import FREE, FeeRule, Tier
from ompay.domain.ledger_errors import FeeNotDefined
from ompay.models import EntryKind, FeeSchedule
from ompay.repositories.fees import FeeScheduleRepository
from ompay.services.unit_of_work import UnitOfWork

logger = get_logger(__name__)


def rule_of(schedule: FeeSchedule | None) -> FeeRule:
    """A kind without a fee schedule is free, so new entry kinds never charge by accident."""
    if schedule is None:
        return FREE
    tiers = tuple(Tier(up_to=t.get("up_to"), fee=int(t["fee"])) for t in schedule.tiers.get("tiers", []))
    return FeeRule(schedule.percent_bps, schedule.fixed, schedule.minimum, schedule.maximum, tiers)


class FeeService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.schedules = FeeScheduleRepository(session=uow.session)

    async def fee_for(self, kind: EntryKind, amount: int) -> int:
        """A schedule that leaves the amount without a fee refuses the movement and calls the on-call."""
        schedule = await self.schedules.in_force(kind, datetime.now(UTC))
        try:
            return rule_of(schedule).fee_for(amount)
        except FeeNotDefined:
            await logger.aerror(
                "fee schedule does not cover the amount",
                entry_kind=kind.value,
                amount=amount,
                fee_schedule_id=str(schedule.id) if schedule else None,
            )
            raise
