"""/api/v1/admin/screening and /api/v1/admin/persons: sanctions and PEP hits, the query log,
and freezes. Compliance officers and admins only: support never sees screening."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.schemas.screening import (
    FreezeResource,
    HitDecisionRequest,
    ReplayResource,
    ScreeningHitResource,
    ScreeningQueryResource,
    UnfreezeRequest,
)
from ompay.services.compliance.freezes import FreezeService
from ompay.services.compliance.screening import ScreeningService
from ompay.services.identity.sessions import CurrentUser


class AdminScreeningController(Controller):
    path = "/screening"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @get("/hits", summary="Open hits awaiting a decision, oldest first (cursor pages)")
    async def open_hits(
        self,
        screening_service: NamedDependency[ScreeningService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
    ) -> CursorPage[ScreeningHitResource]:
        rows = await screening_service.open_hits(starting_after, limit)
        return CursorPage.of(rows, limit, ScreeningHitResource.of)

    @post(
        "/hits/{hit_id:uuid}/decision",
        status_code=200,
        summary="Confirm (freezes every account of the person at once) or dismiss, audited",
        responses=problem_responses(404, 409, 422),
    )
    async def decide(
        self,
        hit_id: FromPath[UUID],
        data: JSONBody[HitDecisionRequest],
        current_user: NamedDependency[CurrentUser],
        screening_service: NamedDependency[ScreeningService],
    ) -> ScreeningHitResource:
        hit = await screening_service.decide(hit_id, data.decision, data.note, current_user.actor)
        return ScreeningHitResource.of(hit)

    @get("/queries/{query_id:uuid}", summary="One logged query: subject, list versions, candidates, outcome")
    async def query(
        self, query_id: FromPath[UUID], screening_service: NamedDependency[ScreeningService]
    ) -> ScreeningQueryResource:
        return ScreeningQueryResource.of(await screening_service.logged(query_id))

    @get(
        "/queries/{query_id:uuid}/replay",
        summary="Run a logged query again against its own list versions and threshold",
        responses=problem_responses(404),
    )
    async def replay(
        self, query_id: FromPath[UUID], screening_service: NamedDependency[ScreeningService]
    ) -> ReplayResource:
        return ReplayResource.of(await screening_service.replay(query_id))


class AdminFreezeController(Controller):
    path = "/persons"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @post(
        "/{person_id:uuid}/unfreeze",
        status_code=200,
        summary="Lift a compliance freeze: an officer's decision, audited",
        responses=problem_responses(404, 409, 422),
    )
    async def unfreeze(
        self,
        person_id: FromPath[UUID],
        data: JSONBody[UnfreezeRequest],
        current_user: NamedDependency[CurrentUser],
        freeze_service: NamedDependency[FreezeService],
    ) -> FreezeResource:
        return FreezeResource.of(await freeze_service.lift(person_id, data.note, current_user.actor))
