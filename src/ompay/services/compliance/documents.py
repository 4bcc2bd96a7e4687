"""Identity documents a customer submits: validated by content, stored encrypted, then checked by a job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from config.settings import BASE_DIR, Settings
from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, invalid_field
from ompay.domain.kyc import MAX_FILE_BYTES, sniff_content_type
from ompay.lib.object_store import EncryptedFiles, StoredFile, sealed_store
from ompay.models import KycDocumentType, KycFile, KycSubmission, KycSubmissionStatus
from ompay.models.base import new_id
from ompay.repositories.kyc import KycSubmissionRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.topics import KYC_SUBMITTED
from ompay.services.unit_of_work import UnitOfWork

OPEN_STATUSES = (KycSubmissionStatus.CHECKING, KycSubmissionStatus.PENDING_REVIEW)


@dataclass(frozen=True, slots=True)
class DocumentSubmission:
    """What the customer read off their document, and its images (`front`, `back`, `selfie`)."""

    document_type: KycDocumentType
    document_number: str
    first_name: str
    last_name: str
    birth_date: date
    issued_on: date
    expires_on: date
    files: Mapping[str, bytes]


def document_files(settings: Settings) -> EncryptedFiles:
    """The encrypted document store: each key version derived from APP_SECRET_KEY, the newest sealing."""
    kyc = settings.kyc
    return sealed_store(
        kyc.document_store_url, BASE_DIR, settings.app.secret_key, "kyc-documents", kyc.document_key_version
    )


class KycDocumentService:
    def __init__(self, uow: UnitOfWork, files: EncryptedFiles) -> None:
        self.uow = uow
        self.files = files
        self.submissions = KycSubmissionRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def submit(self, user_id: UUID, submission: DocumentSubmission) -> KycSubmission:
        """Store the files encrypted, record the submission and queue its automatic checks.

        One open submission at a time, so an officer never reviews a stale one. Files are
        written before the commit; if anything fails they are deleted again.
        """
        _check_dates(submission)
        content_types = _check_files(submission)
        if (latest := await self.submissions.latest_of(user_id)) and latest.status in OPEN_STATUSES:
            raise Conflict("Une pièce d'identité est déjà en cours de vérification.")
        user = await self.users.get(user_id)
        row = KycSubmission(
            id=new_id(),
            user_id=user.id,
            person_id=user.person_id,
            document_type=submission.document_type,
            document_number=submission.document_number.upper(),
            first_name=submission.first_name,
            last_name=submission.last_name,
            birth_date=submission.birth_date,
            issued_on=submission.issued_on,
            expires_on=submission.expires_on,
            status=KycSubmissionStatus.CHECKING,
        )
        stored: list[StoredFile] = []
        try:
            for side, content in submission.files.items():
                stored.append(await self.files.put(f"kyc/{row.id}/{side}", content))
            await self._record(row, stored, content_types)
        except BaseException:
            await self.uow.rollback()
            for kept in stored:
                await self.files.delete(kept.key)
            raise
        return row

    async def latest(self, user_id: UUID) -> KycSubmission | None:
        """The customer's most recent submission, whatever its state."""
        return await self.submissions.latest_of(user_id)

    async def _record(self, row: KycSubmission, stored: list[StoredFile], types: Mapping[str, str]) -> None:
        self.uow.session.add(row)
        # The files reference it, and the ORM orders rows only along relationships.
        await self.uow.session.flush()
        for kept in stored:
            side = kept.key.rsplit("/", 1)[1]
            self.uow.session.add(
                KycFile(
                    submission_id=row.id,
                    side=side,
                    object_key=kept.key,
                    content_type=types[side],
                    size=kept.size,
                    sha256=kept.sha256,
                    key_version=kept.key_version,
                )
            )
        self.uow.outbox.add(KYC_SUBMITTED, {"submission_id": str(row.id)})
        self.uow.audit.record(
            "kyc.submitted",
            Actor("user", str(row.user_id)),
            target_type="kyc_submission",
            target_id=str(row.id),
            changes={"document_type": row.document_type.value, "files": sorted(types)},
        )
        await self.uow.commit()


def _check_files(submission: DocumentSubmission) -> dict[str, str]:
    """Each file's content type by its bytes; a refusal names the field."""
    if submission.document_type == KycDocumentType.CEDEAO_ID_CARD and "back" not in submission.files:
        raise invalid_field("back", "Le verso de la carte est requis.", "The back of the card is required.")
    types = {}
    for side, content in submission.files.items():
        if len(content) > MAX_FILE_BYTES:
            raise invalid_field(
                side, "Fichier trop volumineux (5 Mo au plus).", "File too large (at most 5 MB)."
            )
        content_type = sniff_content_type(content[:8])
        if content_type is None:
            raise invalid_field(
                side, "Format accepté : JPEG, PNG ou PDF.", "Accepted formats: JPEG, PNG or PDF."
            )
        types[side] = content_type
    return types


def _check_dates(submission: DocumentSubmission) -> None:
    today = datetime.now(UTC).date()
    if submission.issued_on > today:
        raise invalid_field("issued_on", "La date de délivrance est dans le futur.", "Issued in the future.")
    if submission.expires_on <= submission.issued_on:
        raise invalid_field(
            "expires_on", "La date d'expiration doit suivre la délivrance.", "Must be after the issue date."
        )
    if submission.birth_date >= submission.issued_on:
        raise invalid_field("birth_date", "Date de naissance invalide.", "Invalid birth date.")
