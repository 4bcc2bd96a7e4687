"""/api/v1/admin/kyc/limits: tier limits as versioned data."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.models import KycTier
from ompay.schemas.kyc_limits import LimitVersionRequest, LimitVersionResource
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.tiers import TierService
from ompay.services.identity.sessions import CurrentUser


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
