"""KYC payloads: identity documents (customers), their review and KYB (back office)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from ompay.domain.kyc import MAX_FILE_BYTES
from ompay.models import (
    KycCheckOutcome,
    KycDocumentType,
    KycRejectReason,
    KycSubmission,
    KycSubmissionStatus,
    KycTier,
)
from ompay.schemas.fields import Name, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.compliance.documents import DocumentSubmission
from ompay.services.compliance.kyb import KybReview
from ompay.services.compliance.review import SubmissionDetail

RESUBMIT_AFTER = (KycSubmissionStatus.REJECTED, KycSubmissionStatus.EXPIRED)

DocumentNumber = Annotated[str, msgspec.Meta(min_length=5, max_length=20, pattern=r"^[A-Za-z0-9]+$")]


class DocumentForm(RequestBody, frozen=True):
    """`multipart/form-data`: what the document says, and its images (JPEG, PNG or PDF, 5 MB each)."""

    document_type: KycDocumentType
    document_number: DocumentNumber
    first_name: Name
    last_name: Name
    birth_date: date
    issued_on: date
    expires_on: date
    front: UploadFile
    selfie: UploadFile
    back: UploadFile | None = None
    """Required for a CEDEAO card; a passport has none."""

    async def submission(self) -> DocumentSubmission:
        """Each file read at most one byte past the limit: an oversized one is refused, not buffered."""
        uploads = {"front": self.front, "back": self.back, "selfie": self.selfie}
        files = {side: await upload.read(MAX_FILE_BYTES + 1) for side, upload in uploads.items() if upload}
        return DocumentSubmission(
            self.document_type,
            self.document_number,
            self.first_name.strip(),
            self.last_name.strip(),
            self.birth_date,
            self.issued_on,
            self.expires_on,
            files,
        )


class KycSubmissionResource(Resource, frozen=True):
    """What the customer sees of their submission: never the checks or an officer's reason."""

    id: UUID
    document_type: KycDocumentType
    status: KycSubmissionStatus
    expires_on: date
    created_at: datetime


class KycStatusResource(msgspec.Struct, frozen=True):
    tier: KycTier
    submission: KycSubmissionResource | None
    resubmission_required: bool
    """The last document was refused or has expired: the customer is asked for a new one."""

    @classmethod
    def of(cls, tier: KycTier, latest: KycSubmission | None) -> KycStatusResource:
        asked_again = latest is not None and latest.status in RESUBMIT_AFTER
        return cls(tier, KycSubmissionResource.of(latest) if latest else None, asked_again)


class KycCheckResource(Resource, frozen=True):
    check: str
    outcome: KycCheckOutcome
    facts: dict[str, Any]


class KycFileResource(Resource, frozen=True):
    side: str
    content_type: str
    size: int
    sha256: str


class KycReviewResource(Resource, frozen=True):
    """A submission as officers see it in the queue."""

    id: UUID
    user_id: UUID
    person_id: UUID
    document_type: KycDocumentType
    document_number: str
    first_name: str
    last_name: str
    birth_date: date
    issued_on: date
    expires_on: date
    status: KycSubmissionStatus
    checks_outcome: KycCheckOutcome | None
    reject_reason: KycRejectReason | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime


class KycReviewDetailResource(msgspec.Struct, frozen=True):
    submission: KycReviewResource
    checks: list[KycCheckResource]
    files: list[KycFileResource]

    @classmethod
    def of(cls, detail: SubmissionDetail) -> KycReviewDetailResource:
        return cls(
            KycReviewResource.of(detail.submission),
            [KycCheckResource.of(check) for check in detail.checks],
            [KycFileResource.of(row) for row in detail.files],
        )


class RejectRequest(RequestBody, frozen=True):
    reason: KycRejectReason


class BeneficialOwnerResource(Resource, frozen=True):
    full_name: str
    national_id: str
    share_percent: int


class KybReviewResource(msgspec.Struct, frozen=True):
    beneficial_owners: list[BeneficialOwnerResource]
    checks: list[KycCheckResource]

    @classmethod
    def of(cls, review: KybReview) -> KybReviewResource:
        return cls(
            [BeneficialOwnerResource.of(owner) for owner in review.owners],
            [KycCheckResource.of(check) for check in review.checks],
        )
