"""The fee in force for a movement, from the versioned schedule (no schedule: free)."""

from __future__ import annotations

from datetime import UTC, datetime

from ompay.domain.fees import FREE, FeeRule, Tier
from ompay.models import EntryKind, FeeSchedule
from ompay.repositories.fees import FeeScheduleRepository
from ompay.services.unit_of_work import UnitOfWork


def rule_of(schedule: FeeSchedule | None) -> FeeRule:
    if schedule is None:
        return FREE
    tiers = tuple(Tier(up_to=t.get("up_to"), fee=int(t["fee"])) for t in schedule.tiers.get("tiers", []))
    return FeeRule(schedule.percent_bps, schedule.fixed, schedule.minimum, schedule.maximum, tiers)


class FeeService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.schedules = FeeScheduleRepository(session=uow.session)

    async def fee_for(self, kind: EntryKind, amount: int) -> int:
        return rule_of(await self.schedules.in_force(kind, datetime.now(UTC))).fee_for(amount)
