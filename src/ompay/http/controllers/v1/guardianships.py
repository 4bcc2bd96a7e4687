"""/api/v1/me/guardianships: a guardian approves a minor's wallet with their PIN."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.models import UserRole
from ompay.schemas.guardianships import GuardianApprovalRequest, GuardianshipResource
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.guardianship import GuardianshipService
from ompay.services.identity.sessions import CurrentUser


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
