"""Queries over persons (the KYC limit holders) and the versioned tier limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on

from ompay.models import KycLimit, KycTier, Person


class PersonRepository(SQLAlchemyAsyncRepository[Person]):
    model_type = Person


class KycLimitRepository(SQLAlchemyAsyncRepository[KycLimit]):
    model_type = KycLimit

    async def in_force(self, at: datetime) -> Sequence[KycLimit]:
        """Each tier's version in force at `at`."""
        stmt = (
            select(KycLimit)
            .where(KycLimit.effective_from <= at)
            .order_by(KycLimit.tier, KycLimit.effective_from.desc())
            .ext(distinct_on(KycLimit.tier))
        )
        return (await self.session.scalars(stmt)).all()

    async def versions(self, tier: KycTier | None) -> Sequence[KycLimit]:
        """Every version, newest first."""
        stmt = select(KycLimit).order_by(KycLimit.tier, KycLimit.version.desc())
        if tier is not None:
            stmt = stmt.where(KycLimit.tier == tier)
        return (await self.session.scalars(stmt)).all()

    async def next_version(self, tier: KycTier) -> int:
        latest = await self.session.scalar(select(func.max(KycLimit.version)).where(KycLimit.tier == tier))
        return (latest or 0) + 1
