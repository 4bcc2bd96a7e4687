"""The automatic checks on a KYC submission, run by a `compliance` worker after it is committed."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.kyc import (
    CheckResult,
    DocumentFacts,
    check_age,
    check_duplicate,
    check_expiry,
    check_id_number,
    check_name_match,
    overall,
)
from ompay.models import KycCheck, KycSubmission, KycSubmissionStatus, ScreeningTrigger
from ompay.repositories.kyc import KycSubmissionRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.screening import ScreeningService, ScreeningSubject
from ompay.services.unit_of_work import UnitOfWork


class KycCheckService:
    def __init__(self, uow: UnitOfWork, screening: ScreeningService) -> None:
        self.uow = uow
        self.screening = screening
        self.submissions = KycSubmissionRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def run(self, submission_id: UUID) -> None:
        """Run every check, store each result, and put the submission in the officers' queue.

        A redelivered job finds the submission already checked and does nothing.
        """
        submission = await self.submissions.get_one_or_none(id=submission_id)
        if submission is None or submission.status != KycSubmissionStatus.CHECKING:
            return
        results = await self._results(submission)
        self.uow.session.add_all(
            KycCheck(submission_id=submission.id, check=r.check, outcome=r.outcome, facts=r.facts)
            for r in results
        )
        submission.checks_outcome = overall(results)
        submission.status = KycSubmissionStatus.PENDING_REVIEW
        self.uow.audit.record(
            "kyc.checks_completed",
            Actor.system("kyc-checks"),
            target_type="kyc_submission",
            target_id=str(submission.id),
            changes={"outcome": submission.checks_outcome.value},
        )
        await self.uow.commit()

    async def _results(self, submission: KycSubmission) -> list[CheckResult]:
        user = await self.users.get(submission.user_id)
        facts = DocumentFacts(
            submission.document_type,
            submission.document_number,
            submission.first_name,
            submission.last_name,
            submission.birth_date,
            submission.expires_on,
            user.first_name,
            user.last_name,
        )
        today = datetime.now(UTC).date()
        others = await self.submissions.persons_holding(submission.document_number, submission.person_id)
        subject = ScreeningSubject(
            submission.person_id,
            "customer",
            submission.person_id,
            f"{submission.first_name} {submission.last_name}",
            submission.birth_date,
            submission.document_number,
        )
        return [
            check_id_number(facts),
            check_expiry(facts, today),
            check_age(facts, today),
            check_name_match(facts),
            check_duplicate(others),
            await self.screening.check(subject, ScreeningTrigger.KYC_CHECKS),
        ]
