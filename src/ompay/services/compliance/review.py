"""Officers review KYC submissions: the queue, the checks, the documents (audited), and the decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound
from ompay.domain.identity import is_adult
from ompay.lib.object_store import EncryptedFiles, StoredFile
from ompay.models import (
    KycCheck,
    KycDocumentType,
    KycFile,
    KycFileSide,
    KycRejectReason,
    KycSubmission,
    KycSubmissionStatus,
    KycTier,
    User,
)
from ompay.repositories.kyc import KycCheckRepository, KycFileRepository, KycSubmissionRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.tiers import TierService
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork

APPROVED_SMS = "OMPAY : votre identité est vérifiée. Les plafonds de votre compte ont été relevés."
REJECTED_SMS = (
    "OMPAY : votre pièce d'identité n'a pas pu être validée. "
    "Vous pouvez en soumettre une nouvelle depuis l'application."
)


@dataclass(frozen=True, slots=True)
class SubmissionFile:
    row: KycFile
    content: bytes


@dataclass(frozen=True, slots=True)
class SubmissionDetail:
    submission: KycSubmission
    checks: Sequence[KycCheck]
    files: Sequence[KycFile]


class KycReviewService:
    def __init__(
        self, uow: UnitOfWork, files: EncryptedFiles, tiers: TierService, notifications: NotificationService
    ) -> None:
        self.uow = uow
        self.files = files
        self.tiers = tiers
        self.notifications = notifications
        self.submissions = KycSubmissionRepository(session=uow.session)
        self.checks = KycCheckRepository(session=uow.session)
        self.file_rows = KycFileRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def queue(
        self,
        status: KycSubmissionStatus | None,
        document_type: KycDocumentType | None,
        limit: int,
        starting_after: UUID | None,
    ) -> Sequence[KycSubmission]:
        """Submissions oldest first (one more than `limit` when there are more)."""
        return await self.submissions.queue(status, document_type, limit + 1, starting_after)

    async def detail(self, submission_id: UUID) -> SubmissionDetail:
        """The submission with each automatic check's result and its files' records."""
        submission = await self._get(submission_id)
        return SubmissionDetail(
            submission,
            await self.checks.of_submission(submission.id),
            await self.file_rows.of_submission(submission.id),
        )

    async def download(self, submission_id: UUID, side: KycFileSide, actor: Actor) -> SubmissionFile:
        """A document image, decrypted; every download is an audit event (personal data was read)."""
        row = await self.file_rows.get_one_or_none(submission_id=submission_id, side=side)
        if row is None:
            raise NotFound()
        content = await self.files.get(StoredFile(row.object_key, row.sha256, row.size, row.key_version))
        self.uow.audit.record(
            "kyc.document_downloaded",
            actor,
            target_type="kyc_submission",
            target_id=str(submission_id),
            changes={"side": side.value},
        )
        await self.uow.commit()
        return SubmissionFile(row, content)

    async def approve(self, submission_id: UUID, actor: Actor) -> KycSubmission:
        """The person moves to `tier1` (a minor stays at `tier0`'s limits); the customer is told by SMS."""
        submission = await self._decide(submission_id, KycSubmissionStatus.APPROVED, actor, None)
        holder = await self.users.get(submission.user_id)
        if holder.birth_date is None or is_adult(holder.birth_date, datetime.now(UTC).date()):
            await self.tiers.change_tier(submission.person_id, KycTier.TIER1, actor, "kyc_approved")
        await self._notify(holder, APPROVED_SMS)
        return submission

    async def reject(self, submission_id: UUID, reason: KycRejectReason, actor: Actor) -> KycSubmission:
        """The reason stays internal: the customer's SMS only says to submit another document."""
        submission = await self._decide(submission_id, KycSubmissionStatus.REJECTED, actor, reason)
        await self._notify(await self.users.get(submission.user_id), REJECTED_SMS)
        return submission

    async def _decide(
        self,
        submission_id: UUID,
        status: KycSubmissionStatus,
        actor: Actor,
        reason: KycRejectReason | None,
    ) -> KycSubmission:
        submission = await self._get(submission_id)
        if submission.status != KycSubmissionStatus.PENDING_REVIEW:
            raise Conflict("Cette demande n'est pas en attente de décision.")
        submission.status, submission.reject_reason = status, reason
        submission.decided_by, submission.decided_at = actor.id, datetime.now(UTC)
        self.uow.audit.record(
            f"kyc.{status.value}",
            actor,
            target_type="kyc_submission",
            target_id=str(submission.id),
            changes={"reason": reason.value if reason else None},
        )
        return submission

    async def _notify(self, holder: User, text: str) -> None:
        self.notifications.queue_sms(holder.phone, text)
        await self.uow.commit()

    async def _get(self, submission_id: UUID) -> KycSubmission:
        submission = await self.submissions.get_one_or_none(id=submission_id)
        if submission is None:
            raise NotFound()
        return submission
