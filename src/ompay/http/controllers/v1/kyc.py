"""KYC identity documents: the customer's (/api/v1/me/kyc) and the back office's review."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter

from ompay.domain.kyc import MAX_FILE_BYTES
from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.models import KycDocumentType, KycFileSide, KycSubmissionStatus, UserRole
from ompay.schemas.kyc import (
    DocumentForm,
    KycReviewDetailResource,
    KycReviewResource,
    KycStatusResource,
    KycSubmissionResource,
    RejectRequest,
)
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.documents import KycDocumentService
from ompay.services.compliance.review import KycReviewService
from ompay.services.identity.sessions import CurrentUser
from ompay.services.identity.users import UserService

DOCUMENT_UPLOAD_MAX_BYTES = 3 * MAX_FILE_BYTES + 64 * 1024
"""Three files at the limit and the form fields; a larger file still reaches the check naming it."""


class MeKycController(Controller):
    path = "/kyc"
    tags = ["Me"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @get("/", summary="My KYC tier and the state of my latest identity document")
    async def status(
        self,
        current_user: NamedDependency[CurrentUser],
        kyc_document_service: NamedDependency[KycDocumentService],
        user_service: NamedDependency[UserService],
    ) -> KycStatusResource:
        profile = await user_service.profile(current_user.id)
        latest = await kyc_document_service.latest(current_user.id)
        return KycStatusResource.of(profile.tier, latest)

    @post(
        "/documents",
        summary="Submit an identity document (multipart: fields, then front, back and selfie files)",
        responses=problem_responses(409, 413, 422),
        request_max_body_size=DOCUMENT_UPLOAD_MAX_BYTES,
    )
    async def submit(
        self,
        data: Annotated[DocumentForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        current_user: NamedDependency[CurrentUser],
        kyc_document_service: NamedDependency[KycDocumentService],
    ) -> KycSubmissionResource:
        submitted = await kyc_document_service.submit(current_user.id, await data.submission())
        return KycSubmissionResource.of(submitted)


class AdminKycReviewController(Controller):
    path = "/kyc/submissions"
    tags = ["Admin"]
    security = BEARER_SECURITY

    @get("/", summary="The review queue, oldest first (cursor pages)")
    async def queue(
        self,
        kyc_review_service: NamedDependency[KycReviewService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        status: Annotated[KycSubmissionStatus | None, QueryParameter()] = None,
        document_type: Annotated[KycDocumentType | None, QueryParameter()] = None,
    ) -> CursorPage[KycReviewResource]:
        rows = await kyc_review_service.queue(status, document_type, limit, starting_after)
        return CursorPage.of(rows, limit, KycReviewResource.of)

    @get("/{submission_id:uuid}", summary="One submission, its automatic checks and its files")
    async def show(
        self, submission_id: FromPath[UUID], kyc_review_service: NamedDependency[KycReviewService]
    ) -> KycReviewDetailResource:
        return KycReviewDetailResource.of(await kyc_review_service.detail(submission_id))

    @get(
        "/{submission_id:uuid}/files/{side:str}",
        summary="Download a document image (audited)",
        guards=[COMPLIANCE_DECISIONS],
        media_type="application/octet-stream",
        responses=problem_responses(404),
    )
    async def download(
        self,
        submission_id: FromPath[UUID],
        side: FromPath[KycFileSide],
        current_user: NamedDependency[CurrentUser],
        kyc_review_service: NamedDependency[KycReviewService],
    ) -> Response[bytes]:
        found = await kyc_review_service.download(submission_id, side, current_user.actor)
        return Response(
            found.content,
            media_type=found.row.content_type,
            headers={
                "Cache-Control": "no-store",
                "Content-Disposition": f'attachment; filename="{side.value}"',
            },
        )

    @post(
        "/{submission_id:uuid}/approve",
        status_code=200,
        summary="Approve: the person moves to tier1 and is told by SMS",
        guards=[COMPLIANCE_DECISIONS],
        responses=problem_responses(404, 409),
    )
    async def approve(
        self,
        submission_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        kyc_review_service: NamedDependency[KycReviewService],
    ) -> KycReviewResource:
        return KycReviewResource.of(await kyc_review_service.approve(submission_id, current_user.actor))

    @post(
        "/{submission_id:uuid}/reject",
        status_code=200,
        summary="Reject with a reason code (internal: the customer's SMS does not give it)",
        guards=[COMPLIANCE_DECISIONS],
        responses=problem_responses(404, 409, 422),
    )
    async def reject(
        self,
        submission_id: FromPath[UUID],
        data: JSONBody[RejectRequest],
        current_user: NamedDependency[CurrentUser],
        kyc_review_service: NamedDependency[KycReviewService],
    ) -> KycReviewResource:
        rejected = await kyc_review_service.reject(submission_id, data.reason, current_user.actor)
        return KycReviewResource.of(rejected)
