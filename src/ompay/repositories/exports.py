"""Queries over the export records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import case, select, text, update
from sqlalchemy.dialects.postgresql import insert

from ompay.domain.exports import ExportType
from ompay.models import Export, ExportStatus, JournalEntry, Merchant, MerchantStatus


class ExportRepository(SQLAlchemyAsyncRepository[Export]):
    model_type = Export

    async def claim(self, values: dict[str, Any]) -> Export | None:
        """Insert the record of (type, period, subject) unless it exists; None when it did."""
        stmt = (
            insert(Export)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["type", "period", "subject"])
            .returning(Export)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def find(self, export_type: ExportType, period: str, subject: str) -> Export:
        return await self.get_one(type=export_type, period=period, subject=subject)

    async def lock_generation(self, export_id: UUID) -> None:
        """One generation of an export at a time; a second waits and then writes the same bytes."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"export:{export_id}"}
        )

    async def record_failure(self, export_id: UUID, error: str) -> None:
        """A failed rerun leaves a ready export ready: its previous files are still whole."""
        stmt = (
            update(Export)
            .where(Export.id == export_id)
            .values(
                last_error=error,
                status=case((Export.status == ExportStatus.READY, Export.status), else_=ExportStatus.FAILED),
            )
        )
        await self.session.execute(stmt)

    async def existing(self, export_type: ExportType, periods: Sequence[str]) -> set[tuple[str, str]]:
        stmt = select(Export.period, Export.subject).where(
            Export.type == export_type, Export.period.in_(periods)
        )
        return {(row.period, row.subject) for row in await self.session.execute(stmt)}

    async def unfinished(self, created_before: datetime) -> Sequence[Export]:
        stmt = select(Export).where(Export.status != ExportStatus.READY, Export.created_at < created_before)
        return (await self.session.scalars(stmt.order_by(Export.id))).all()

    async def page(
        self,
        limit: int,
        starting_after: UUID | None,
        export_type: ExportType | None = None,
        merchant_id: UUID | None = None,
    ) -> Sequence[Export]:
        """Newest first (UUIDv7 ids are the cursor); one merchant's when `merchant_id` is given."""
        stmt = select(Export)
        if export_type is not None:
            stmt = stmt.where(Export.type == export_type)
        if merchant_id is not None:
            stmt = stmt.where(Export.merchant_id == merchant_id)
        if starting_after is not None:
            stmt = stmt.where(Export.id < starting_after)
        return (await self.session.scalars(stmt.order_by(Export.id.desc()).limit(limit))).all()

    async def merchants_open_before(self, moment: datetime) -> Sequence[UUID]:
        """Merchants that could have settled anything by `moment`: approved, and created before it."""
        stmt = select(Merchant.id).where(
            Merchant.created_at < moment, Merchant.status != MerchantStatus.PENDING_REVIEW
        )
        return (await self.session.scalars(stmt.order_by(Merchant.id))).all()

    async def first_activity(self) -> datetime | None:
        """When the ledger first moved money: nothing before it is worth exporting."""
        stmt = select(JournalEntry.created_at).order_by(JournalEntry.id).limit(1)
        return await self.session.scalar(stmt)
