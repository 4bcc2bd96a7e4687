"""Queries over the fee schedule."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import or_, select

from ompay.models import EntryKind, FeeSchedule


class FeeScheduleRepository(SQLAlchemyAsyncRepository[FeeSchedule]):
    model_type = FeeSchedule

    async def in_force(self, kind: EntryKind, at: datetime) -> FeeSchedule | None:
        stmt = (
            select(FeeSchedule)
            .where(
                FeeSchedule.entry_kind == kind,
                FeeSchedule.effective_from <= at,
                or_(FeeSchedule.effective_to.is_(None), FeeSchedule.effective_to > at),
            )
            .order_by(FeeSchedule.effective_from.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()
