"""Queries over persons (the KYC limit holders) and the versioned tier limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Row, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.limits import TierLimits
from ompay.models import (
    BeneficialOwner,
    Guardianship,
    GuardianshipStatus,
    KybCheck,
    KycCheck,
    KycDocumentType,
    KycFile,
    KycLimit,
    KycSubmission,
    KycSubmissionStatus,
    KycTier,
    Person,
    User,
)

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


def tier_limits(row: KycLimit) -> TierLimits:
    return TierLimits(row.tier.value, row.max_balance, row.max_monthly_credits, row.max_per_transaction)


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
            .distinct(KycLimit.tier)
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


class KycSubmissionRepository(SQLAlchemyAsyncRepository[KycSubmission]):
    model_type = KycSubmission

    async def latest_of(self, user_id: UUID) -> KycSubmission | None:
        stmt = select(KycSubmission).where(KycSubmission.user_id == user_id).order_by(KycSubmission.id.desc())
        return (await self.session.scalars(stmt.limit(1))).first()

    async def queue(
        self,
        status: KycSubmissionStatus | None,
        document_type: KycDocumentType | None,
        limit: int,
        starting_after: UUID | None,
    ) -> Sequence[KycSubmission]:
        """Oldest first, so officers work through the queue in order; keyset pages on the time-ordered id."""
        stmt = select(KycSubmission).order_by(KycSubmission.id).limit(limit)
        if status is not None:
            stmt = stmt.where(KycSubmission.status == status)
        if document_type is not None:
            stmt = stmt.where(KycSubmission.document_type == document_type)
        if starting_after is not None:
            stmt = stmt.where(KycSubmission.id > starting_after)
        return (await self.session.scalars(stmt)).all()

    async def persons_holding(self, document_number: str, except_person: UUID) -> int:
        """How many other persons registered or submitted this document number."""
        registered = select(Person.id).where(Person.national_id == document_number)
        submitted = select(KycSubmission.person_id).where(KycSubmission.document_number == document_number)
        holders = registered.union(submitted).subquery()
        stmt = select(func.count()).select_from(holders).where(holders.c.id != except_person)
        return int(await self.session.scalar(stmt) or 0)

    async def lapsed_approvals(self, today: date) -> Sequence[KycSubmission]:
        """Approved documents whose expiry date has come."""
        stmt = select(KycSubmission).where(
            KycSubmission.status == KycSubmissionStatus.APPROVED, KycSubmission.expires_on <= today
        )
        return (await self.session.scalars(stmt.order_by(KycSubmission.id))).all()

    async def unreminded_approvals_expiring_on(self, day: date) -> Sequence[KycSubmission]:
        stmt = select(KycSubmission).where(
            KycSubmission.status == KycSubmissionStatus.APPROVED,
            KycSubmission.expires_on == day,
            KycSubmission.expiry_reminded_at.is_(None),
        )
        return (await self.session.scalars(stmt.order_by(KycSubmission.id))).all()

    async def has_valid_approval(self, person_id: UUID, today: date) -> bool:
        stmt = select(KycSubmission.id).where(
            KycSubmission.person_id == person_id,
            KycSubmission.status == KycSubmissionStatus.APPROVED,
            KycSubmission.expires_on > today,
        )
        return (await self.session.scalars(stmt.limit(1))).first() is not None


class KycFileRepository(SQLAlchemyAsyncRepository[KycFile]):
    model_type = KycFile

    async def of_submission(self, submission_id: UUID) -> Sequence[KycFile]:
        stmt = select(KycFile).where(KycFile.submission_id == submission_id).order_by(KycFile.side)
        return (await self.session.scalars(stmt)).all()


class KycCheckRepository(SQLAlchemyAsyncRepository[KycCheck]):
    model_type = KycCheck

    async def of_submission(self, submission_id: UUID) -> Sequence[KycCheck]:
        stmt = select(KycCheck).where(KycCheck.submission_id == submission_id).order_by(KycCheck.id)
        return (await self.session.scalars(stmt)).all()


class KybRepository:
    """A merchant's beneficial owners and KYB check results."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def owners_of(self, merchant_id: UUID) -> Sequence[BeneficialOwner]:
        stmt = select(BeneficialOwner).where(BeneficialOwner.merchant_id == merchant_id)
        return (await self.session.scalars(stmt.order_by(BeneficialOwner.id))).all()

    async def checks_of(self, merchant_id: UUID) -> Sequence[KybCheck]:
        stmt = select(KybCheck).where(KybCheck.merchant_id == merchant_id)
        return (await self.session.scalars(stmt.order_by(KybCheck.id))).all()


class GuardianshipRepository(SQLAlchemyAsyncRepository[Guardianship]):
    model_type = Guardianship

    async def of_guardian(self, guardian_id: UUID) -> Sequence[Row[Guardianship, str, str]]:
        """Each link with the minor's first and last names, newest first."""
        stmt = (
            select(Guardianship, User.first_name, User.last_name)
            .join(User, User.id == Guardianship.minor_user_id)
            .where(Guardianship.guardian_user_id == guardian_id)
            .order_by(Guardianship.id.desc())
        )
        return (await self.session.execute(stmt)).all()

    async def awaits_guardian(self, minor_id: UUID) -> bool:
        """A minor whose guardian has not approved the link yet."""
        link = await self.get_one_or_none(minor_user_id=minor_id)
        return link is not None and link.status == GuardianshipStatus.PENDING
