"""/api/v1/me: the signed-in user's profile, data export, sessions and transaction PIN."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from ompay.domain.errors import NotFound
from ompay.http.auth import BEARER_SECURITY
from ompay.schemas.identity import (
    PinChangeRequest,
    PinResetRequest,
    PinSetRequest,
    SessionResource,
    UserResource,
)
from ompay.schemas.personal_data import PersonalDataExport
from ompay.schemas.problem import problem_responses
from ompay.services.identity.personal_data import PersonalDataService
from ompay.services.identity.pin import PinService
from ompay.services.identity.sessions import CurrentUser, SessionService
from ompay.services.identity.users import UserService


class MeController(Controller):
    tags = ["Me"]
    security = BEARER_SECURITY

    @get("/", summary="My profile", responses=problem_responses(401))
    async def profile(
        self, current_user: NamedDependency[CurrentUser], user_service: NamedDependency[UserService]
    ) -> UserResource:
        return UserResource.of(await user_service.profile(current_user.id))

    @get(
        "/export",
        summary="A copy of my data: profile, identity documents declared, accounts, transactions",
        responses=problem_responses(401),
    )
    async def export(
        self,
        current_user: NamedDependency[CurrentUser],
        personal_data_service: NamedDependency[PersonalDataService],
    ) -> Response[PersonalDataExport]:
        now = datetime.now(UTC)
        body = PersonalDataExport.of(
            await personal_data_service.export(current_user.id, current_user.actor), now
        )
        filename = f"ompay-mes-donnees-{now:%Y%m%d}.json"
        return Response(body, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @get("/sessions", summary="My signed-in devices", responses=problem_responses(401))
    async def sessions(
        self, current_user: NamedDependency[CurrentUser], session_service: NamedDependency[SessionService]
    ) -> list[SessionResource]:
        sessions = await session_service.live_sessions(current_user.id)
        return [SessionResource.of(session, current_user.session_id) for session in sessions]

    @delete("/sessions/{session_id:uuid}", summary="Sign a device out", responses=problem_responses(401, 404))
    async def revoke_session(
        self,
        session_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        session_service: NamedDependency[SessionService],
    ) -> None:
        if not await session_service.sign_out_device(current_user, session_id):
            raise NotFound()

    @post(
        "/pin",
        status_code=204,
        summary="Set my transaction PIN (first time)",
        responses=problem_responses(401, 409),
    )
    async def set_pin(
        self,
        data: JSONBody[PinSetRequest],
        current_user: NamedDependency[CurrentUser],
        pin_service: NamedDependency[PinService],
    ) -> None:
        await pin_service.set_first(current_user.id, data.pin)

    @put("/pin", status_code=204, summary="Change my PIN", responses=problem_responses(400, 401, 409, 429))
    async def change_pin(
        self,
        data: JSONBody[PinChangeRequest],
        current_user: NamedDependency[CurrentUser],
        pin_service: NamedDependency[PinService],
    ) -> None:
        await pin_service.change(current_user.id, data.current_pin, data.new_pin)

    @post(
        "/pin/reset",
        status_code=204,
        summary="Reset a forgotten PIN with an SMS code (request one with purpose `pin_reset`)",
        responses=problem_responses(400, 401),
    )
    async def reset_pin(
        self,
        data: JSONBody[PinResetRequest],
        current_user: NamedDependency[CurrentUser],
        pin_service: NamedDependency[PinService],
    ) -> None:
        await pin_service.reset(current_user.id, data.code, data.new_pin)
