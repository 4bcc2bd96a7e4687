"""Identity documents run out: a daily job downgrades their holders and reminds them a month before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ompay.domain.actors import Actor
from ompay.models import KycSubmission, KycSubmissionStatus, KycTier
from ompay.repositories.kyc import KycSubmissionRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.tiers import TierService
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork

REMINDER_DAYS = 30
EXPIRY = Actor.system("kyc-expiry")
EXPIRED_SMS = (
    "OMPAY : votre pièce d'identité a expiré et les plafonds de votre compte ont été abaissés. "
    "Soumettez une pièce valide depuis l'application pour les retrouver."
)
REMINDER_SMS = (
    "OMPAY : votre pièce d'identité expire dans 30 jours. "
    "Pensez à en soumettre une nouvelle depuis l'application pour garder vos plafonds."
)


@dataclass(frozen=True, slots=True)
class ExpiryRun:
    downgraded: int
    reminded: int


class KycExpiryService:
    def __init__(self, uow: UnitOfWork, tiers: TierService, notifications: NotificationService) -> None:
        self.uow = uow
        self.tiers = tiers
        self.notifications = notifications
        self.submissions = KycSubmissionRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def run(self, today: date) -> ExpiryRun:
        """Expire lapsed approvals (a re-KYC request: `/api/v1/me/kyc` asks for a new document), and
        remind those whose document lapses in 30 days, once. Rerunning the same day changes nothing."""
        downgraded = 0
        for submission in await self.submissions.lapsed_approvals(today):
            downgraded += await self._expire(submission, today)
        expiring = await self.submissions.unreminded_approvals_expiring_on(
            today + timedelta(days=REMINDER_DAYS)
        )
        for submission in expiring:
            submission.expiry_reminded_at = datetime.now(UTC)
            await self._text(submission, REMINDER_SMS)
        await self.uow.commit()
        return ExpiryRun(downgraded, len(expiring))

    async def _expire(self, submission: KycSubmission, today: date) -> int:
        submission.status = KycSubmissionStatus.EXPIRED
        self.uow.audit.record(
            "kyc.expired", EXPIRY, target_type="kyc_submission", target_id=str(submission.id)
        )
        if await self.submissions.has_valid_approval(submission.person_id, today):
            return 0  # a newer document already took over
        await self.tiers.change_tier(submission.person_id, KycTier.TIER0, EXPIRY, "document_expired")
        await self._text(submission, EXPIRED_SMS)
        return 1

    async def _text(self, submission: KycSubmission, text: str) -> None:
        user = await self.users.get(submission.user_id)
        self.notifications.queue_sms(user.phone, text)
