"""Queries over persons (the KYC limit holders) and the versioned tier limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import distinct_on

from ompay.domain.tier_limits import TierLimits
from ompay.models import KycLimit, KycTier, Person

# One statement: bump each person's credits of the month (reset when the month turned), which
# locks the row, and return what they had received before it with their tier's limits in force.
# The caller checks afterwards; a refusal rolls the savepoint, and so the bump, back.
_COUNT_CREDITS = text("""
WITH counted AS (
    UPDATE persons p
    SET credits_total = CASE WHEN p.credits_month = :month THEN p.credits_total ELSE 0 END + d.credit,
        credits_month = :month
    FROM unnest(CAST(:ids AS uuid[]), CAST(:credits AS bigint[])) AS d(id, credit)
    WHERE p.id = d.id
    RETURNING p.id, p.tier, p.credits_total - d.credit AS credited_before
)
SELECT c.id, c.tier, c.credited_before, l.max_balance, l.max_monthly_credits, l.max_per_transaction
FROM counted c
JOIN LATERAL (
    SELECT max_balance, max_monthly_credits, max_per_transaction FROM kyc_limits
    WHERE tier = c.tier AND effective_from <= :now ORDER BY effective_from DESC LIMIT 1
) l ON true
""")


@dataclass(frozen=True, slots=True)
class CountedCredits:
    limits: TierLimits
    credited_before: int


class PersonRepository(SQLAlchemyAsyncRepository[Person]):
    model_type = Person

    async def count_credits(
        self, credits: Mapping[UUID, int], month: date, now: datetime
    ) -> dict[UUID, CountedCredits]:
        """Add `credits` to each person's month, locking them, with what they had received before.

        A person whose tier has no limits in force is left out (the policy refuses then).
        """
        rows = await self.session.execute(
            _COUNT_CREDITS,
            {"ids": list(credits), "credits": list(credits.values()), "month": month, "now": now},
        )
        return {
            row.id: CountedCredits(
                TierLimits(row.tier, row.max_balance, row.max_monthly_credits, row.max_per_transaction),
                row.credited_before,
            )
            for row in rows
        }


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
