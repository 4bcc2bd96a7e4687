"""A customer's copy of their own data (COMPLIANCE.md "Retention and personal data")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Row

from ompay.domain.actors import Actor
from ompay.models import JournalEntry, KycSubmission, KycTier, LedgerAccount, Posting, User
from ompay.repositories.kyc import KycSubmissionRepository
from ompay.repositories.ledger import LedgerAccountRepository, PostingRepository
from ompay.repositories.persons import PersonRepository
from ompay.repositories.users import UserRepository
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class PersonalData:
    user: User
    tier: KycTier
    submissions: Sequence[KycSubmission]
    accounts: Sequence[LedgerAccount]
    postings: Sequence[Row[Posting, JournalEntry, str]]


class PersonalDataService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        session = uow.session
        self.users = UserRepository(session=session)
        self.persons = PersonRepository(session=session)
        self.submissions = KycSubmissionRepository(session=session)
        self.accounts = LedgerAccountRepository(session=session)
        self.postings = PostingRepository(session=session)

    async def export(self, user_id: UUID, actor: Actor) -> PersonalData:
        """Everything held about the caller that is theirs to see, and the export audited.

        Screening, monitoring, alerts, cases and officers' reasons are not theirs to see:
        telling a customer about them could tip off a suspect (COMPLIANCE.md), so the export
        reads none of those tables; the schema narrows the submissions further.
        """
        user = await self.users.get(user_id)
        person = await self.persons.get(user.person_id)
        data = PersonalData(
            user,
            person.tier,
            await self.submissions.all_of(user_id),
            await self.accounts.of_owner(user_id),
            await self.postings.of_owner(user_id),
        )
        self.uow.audit.record(
            "me.data_exported",
            actor,
            target_type="user",
            target_id=str(user_id),
            changes={"submissions": len(data.submissions), "postings": len(data.postings)},
        )
        await self.uow.commit()
        return data
