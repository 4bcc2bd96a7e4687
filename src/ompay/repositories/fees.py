"""Queries over the fee schedule."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import bindparam, or_, select

from ompay.models import EntryKind, FeeSchedule

_IN_FORCE = (
    select(FeeSchedule)
    .where(
        FeeSchedule.entry_kind == bindparam("kind"),
        FeeSchedule.effective_from <= bindparam("at"),
        or_(FeeSchedule.effective_to.is_(None), FeeSchedule.effective_to > bindparam("at")),
    )
    .order_by(FeeSchedule.effective_from.desc())
    .limit(1)
)


class FeeScheduleRepository(SQLAlchemyAsyncRepository[FeeSchedule]):
    model_type = FeeSchedule

    async def in_force(self, kind: EntryKind, at: datetime) -> FeeSchedule | None:
        """Built once: every money movement asks."""
        return (await self.session.scalars(_IN_FORCE, {"kind": kind, "at": at})).first()
