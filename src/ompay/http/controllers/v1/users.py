"""/api/v1/admin/users: ending a customer's relationship (compliance officers and admins)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.schemas.personal_data import CloseAccountRequest, ClosedUserResource
from ompay.schemas.problem import problem_responses
from ompay.services.identity.closure import AccountClosureService
from ompay.services.identity.sessions import CurrentUser


class AdminUserController(Controller):
    path = "/users"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @post(
        "/{user_id:uuid}/close",
        status_code=200,
        summary="Close a user's account: every account of theirs must be empty; signs them out, audited",
        responses=problem_responses(403, 404, 409, 422),
    )
    async def close(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[CloseAccountRequest],
        current_user: NamedDependency[CurrentUser],
        account_closure_service: NamedDependency[AccountClosureService],
    ) -> ClosedUserResource:
        closure = await account_closure_service.close(user_id, data.reason, current_user.actor)
        return ClosedUserResource.of(closure)
