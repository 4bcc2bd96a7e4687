"""Queries over KYC submissions, their files and checks, KYB owners and checks, and guardianships."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Row, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.models import (
    BeneficialOwner,
    Guardianship,
    GuardianshipStatus,
    KybCheck,
    KycCheck,
    KycDocumentType,
    KycFile,
    KycSubmission,
    KycSubmissionStatus,
    Person,
    User,
)


class KycSubmissionRepository(SQLAlchemyAsyncRepository[KycSubmission]):
    model_type = KycSubmission

    async def latest_of(self, user_id: UUID) -> KycSubmission | None:
        stmt = select(KycSubmission).where(KycSubmission.user_id == user_id).order_by(KycSubmission.id.desc())
        return (await self.session.scalars(stmt.limit(1))).first()

    async def all_of(self, user_id: UUID) -> Sequence[KycSubmission]:
        stmt = select(KycSubmission).where(KycSubmission.user_id == user_id).order_by(KycSubmission.id)
        return (await self.session.scalars(stmt)).all()

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

    async def remove_of_user(self, user_id: UUID) -> Sequence[str]:
        """Forget the records of every file of the user's submissions; returns their object keys."""
        of_user = select(KycSubmission.id).where(KycSubmission.user_id == user_id)
        stmt = delete(KycFile).where(KycFile.submission_id.in_(of_user)).returning(KycFile.object_key)
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
