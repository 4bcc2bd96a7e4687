"""One-time codes: issued by SMS through the outbox, verified once, never stored in clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ompay.domain.auth_errors import OtpExpired, OtpInvalid, OtpSendLimit
from ompay.domain.sms_texts import otp_text
from ompay.lib.crypto import keyed_hash, random_digits, same_hash
from ompay.models import OneTimeCode, OtpPurpose
from ompay.repositories.auth import OneTimeCodeRepository
from ompay.services.identity.security import Security
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork

CODE_LENGTH = 6


class OtpService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.codes = OneTimeCodeRepository(session=uow.session)
        self.notifications = NotificationService(uow, security.sealer, security.settings.sms)

    async def issue(
        self, phone: str, purpose: OtpPurpose, subject_id: str | None = None, text: str | None = None
    ) -> int:
        """Send a fresh code (older ones die); returns its lifetime in seconds. The caller commits."""
        sends = await self.security.otp_sends.hit(phone)
        if sends.exceeded:
            raise OtpSendLimit(retry_after=sends.reset_in)
        ttl = self.security.settings.auth.otp_ttl
        code = random_digits(CODE_LENGTH)
        await self.codes.retire_live(phone, purpose, subject_id)
        await self.codes.add(
            OneTimeCode(
                phone=phone,
                purpose=purpose,
                subject_id=subject_id,
                code_hash=self._hash(phone, purpose, subject_id, code),
                expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
            )
        )
        message = text.format(code=code) if text else otp_text(purpose, code, ttl)
        self.notifications.queue_sms(phone, message)
        return ttl

    async def consume(
        self, phone: str, purpose: OtpPurpose, code: str, subject_id: str | None = None
    ) -> None:
        """Accept the live code once; the third wrong guess kills it. The caller commits.

        Each guess is counted before the code is compared, so parallel guesses cannot get past the limit.
        """
        live = await self.codes.live(phone, purpose, subject_id)
        if live is None or await self.security.otp_attempts.attempt(str(live.id)):
            raise OtpInvalid()
        if live.expires_at <= datetime.now(UTC):
            raise OtpExpired()
        if not same_hash(live.code_hash, self._hash(phone, purpose, subject_id, code)):
            await self.security.otp_attempts.record_failure(str(live.id))
            raise OtpInvalid()
        await self.codes.consume(live.id)

    def _hash(self, phone: str, purpose: OtpPurpose, subject_id: str | None, code: str) -> str:
        return keyed_hash(self.security.keys.otp, f"{purpose.value}:{phone}:{subject_id or ''}:{code}")
