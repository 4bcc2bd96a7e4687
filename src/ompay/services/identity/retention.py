"""Anonymising people whose relationship ended longer ago than the retention period.

Financial and KYC records are kept 10 years after the end of the relationship (COMPLIANCE.md);
after that the person behind them is replaced by placeholders. Ledger and audit rows are never
touched: the amounts stay provable, and the audit trail held no personal data unmasked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select

from ompay.domain.actors import Actor
from ompay.lib.object_store import EncryptedFiles
from ompay.models.users import ANONYMISED_PHONES
from ompay.repositories.kyc import KycFileRepository, KycSubmissionRepository
from ompay.repositories.persons import PersonRepository
from ompay.repositories.users import UserRepository
from ompay.services.unit_of_work import UnitOfWork

ANONYMISED_NAME = "Anonyme"
ANONYMISED_DOCUMENT_NUMBER = "ANONYME"
ANONYMISED_BIRTH_DATE = date(1900, 1, 1)
"""A submission's birth date is required by its schema; this one says nothing about anyone."""
UNUSABLE_HASH = "!"
"""Not an argon2 hash: every password or PIN verification against it fails."""
BATCH = 100


def years_before(moment: datetime, years: int) -> datetime:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


class RetentionService:
    def __init__(self, uow: UnitOfWork, files: EncryptedFiles, years: int) -> None:
        self.uow = uow
        self.files = files
        self.years = years
        session = uow.session
        self.users = UserRepository(session=session)
        self.persons = PersonRepository(session=session)
        self.submissions = KycSubmissionRepository(session=session)
        self.file_records = KycFileRepository(session=session)

    async def anonymise_due(self, now: datetime | None = None) -> int:
        """Anonymise every user closed more than the retention period ago; returns how many.

        Each user is its own transaction, so a failure leaves those before it done; a user
        already anonymised is never selected again, so a second run does nothing.
        """
        cutoff = years_before(now or datetime.now(UTC), self.years)
        done = 0
        while due := await self.users.closed_before(cutoff, BATCH):
            for user_id in due:
                await self._anonymise(user_id)
            done += len(due)
        return done

    async def _anonymise(self, user_id: UUID) -> None:
        """The file records go in the transaction and the files just before its commit: a failed
        commit leaves the records for the next run, whose deletes of missing files do nothing."""
        user = await self.users.get(user_id, with_for_update=True)
        phone_number = await self.uow.session.scalar(select(ANONYMISED_PHONES.next_value()))
        user.first_name = user.last_name = ANONYMISED_NAME
        user.phone = f"+0{phone_number:014d}"  # no country code starts with 0: never routable
        user.national_id = user.email = user.birth_date = user.sex = None
        user.password_hash, user.pin_hash = UNUSABLE_HASH, UNUSABLE_HASH
        user.anonymised_at = datetime.now(UTC)
        (await self.persons.get(user.person_id)).national_id = None
        submissions = await self.submissions.all_of(user_id)
        for submission in submissions:
            submission.first_name = submission.last_name = ANONYMISED_NAME
            submission.document_number = ANONYMISED_DOCUMENT_NUMBER
            submission.birth_date = ANONYMISED_BIRTH_DATE
        keys = await self.file_records.remove_of_user(user_id)
        self.uow.audit.record(
            "user.anonymised",
            Actor.system("retention"),
            target_type="user",
            target_id=str(user_id),
            changes={"kyc_submissions": len(submissions), "files_deleted": len(keys)},
        )
        await self.uow.session.flush()
        for key in keys:
            await self.files.delete(key)
        await self.uow.commit()
