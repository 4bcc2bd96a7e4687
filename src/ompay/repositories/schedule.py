"""Claims on cron ticks: one run per job and scheduled time, whichever worker gets there first."""

from __future__ import annotations

from datetime import datetime, timedelta

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from ompay.models import ScheduledJobRun
from ompay.models.base import new_id

RUNS_KEPT = timedelta(days=2)


class ScheduledJobRunRepository(SQLAlchemyAsyncRepository[ScheduledJobRun]):
    model_type = ScheduledJobRun

    async def claim(self, function: str, tick: datetime) -> bool:
        """Record this tick's run; False when another run recorded it first."""
        claimed = await self.session.scalar(
            insert(ScheduledJobRun)
            .values(id=new_id(), function=function, scheduled_at=tick)
            .on_conflict_do_nothing(index_elements=["function", "scheduled_at"])
            .returning(ScheduledJobRun.id)
        )
        return claimed is not None

    async def forget_before(self, function: str, before: datetime) -> None:
        await self.session.execute(
            delete(ScheduledJobRun).where(
                ScheduledJobRun.function == function, ScheduledJobRun.scheduled_at < before
            )
        )
