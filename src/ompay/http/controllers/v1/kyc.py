"""KYC: a customer's identity documents (/api/v1/me/kyc) and the back office's review and limits."""

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
from ompay.models import KycDocumentType, KycFileSide, KycSubmissionStatus, KycTier, UserRole
from ompay.schemas.kyc import (
    DocumentForm,
    GuardianApprovalRequest,
    GuardianshipResource,
    KycReviewDetailResource,
    KycReviewResource,
    KycStatusResource,
    KycSubmissionResource,
    LimitVersionRequest,
    LimitVersionResource,
    RejectRequest,
)
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.documents import KycDocumentService
from ompay.services.compliance.guardianship import GuardianshipService
from ompay.services.compliance.review import KycReviewService
from ompay.services.compliance.tiers import TierService
from ompay.services.identity.sessions import CurrentUser
from ompay.services.identity.users import UserService

DOCUMENT_UPLOAD_MAX_BYTES = 3 * MAX_FILE_BYTES + 64 * 1024
"""Three files at the limit and the form fields; a larger file still reaches the check naming it."""


class AdminKycLimitController(Controller):
    path = "/kyc/limits"
    tags = ["Admin"]
    security = BEARER_SECURITY

    @get("/", summary="Each tier's limits in force now")
    async def in_force(self, tier_service: NamedDependency[TierService]) -> list[LimitVersionResource]:
        return [LimitVersionResource.of(row) for row in await tier_service.limits_in_force()]

    @get("/versions", summary="Every version of the tier limits, newest first")
    async def versions(
        self,
        tier_service: NamedDependency[TierService],
        tier: Annotated[KycTier | None, QueryParameter()] = None,
    ) -> list[LimitVersionResource]:
        return [LimitVersionResource.of(row) for row in await tier_service.limit_versions(tier)]

    @post(
        "/",
        summary="Add a version of a tier's limits (never an edit), effective now or later",
        guards=[COMPLIANCE_DECISIONS],
        responses=problem_responses(409, 422),
    )
    async def add_version(
        self,
        data: JSONBody[LimitVersionRequest],
        current_user: NamedDependency[CurrentUser],
        tier_service: NamedDependency[TierService],
    ) -> LimitVersionResource:
        return LimitVersionResource.of(
            await tier_service.add_limit_version(data.version(), current_user.actor)
        )


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


class MeGuardianshipController(Controller):
    path = "/guardianships"
    tags = ["Me"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @get("/", summary="Minors linked, or asking to be linked, to me as their guardian")
    async def mine(
        self,
        current_user: NamedDependency[CurrentUser],
        guardianship_service: NamedDependency[GuardianshipService],
    ) -> list[GuardianshipResource]:
        return [
            GuardianshipResource.of(link) for link in await guardianship_service.of_guardian(current_user.id)
        ]

    @post(
        "/{link_id:uuid}/approve",
        status_code=200,
        summary="Approve a minor's link with my PIN: their wallet opens",
        responses=problem_responses(400, 404, 409, 429),
    )
    async def approve(
        self,
        link_id: FromPath[UUID],
        data: JSONBody[GuardianApprovalRequest],
        current_user: NamedDependency[CurrentUser],
        guardianship_service: NamedDependency[GuardianshipService],
    ) -> GuardianshipResource:
        link = await guardianship_service.approve(current_user.id, link_id, data.pin)
        return GuardianshipResource.of(link)
