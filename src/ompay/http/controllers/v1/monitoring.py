"""/api/v1/admin/monitoring and /api/v1/admin/cases: rule versions, decision records, and the
cases officers work. Compliance officers and admins only."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.models import CaseStatus
from ompay.schemas.monitoring import (
    AssignRequest,
    CaseDecisionRequest,
    CaseFileResource,
    CaseResource,
    DecisionReplayResource,
    DecisionResource,
    NoteRequest,
    NoteResource,
    RuleId,
    RuleVersionRequest,
    RuleVersionResource,
)
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.cases import CaseService
from ompay.services.compliance.monitoring import MonitoringService
from ompay.services.compliance.monitoring_rules import MonitoringRuleService
from ompay.services.identity.sessions import CurrentUser


class AdminMonitoringController(Controller):
    path = "/monitoring"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @get("/rules", summary="Each rule's version in force now")
    async def rules_in_force(
        self, monitoring_rule_service: NamedDependency[MonitoringRuleService]
    ) -> list[RuleVersionResource]:
        return [RuleVersionResource.of(row) for row in await monitoring_rule_service.in_force()]

    @get("/rules/versions", summary="Every version of the rules, newest first per rule")
    async def rule_versions(
        self,
        monitoring_rule_service: NamedDependency[MonitoringRuleService],
        rule_id: Annotated[RuleId | None, QueryParameter()] = None,
    ) -> list[RuleVersionResource]:
        return [RuleVersionResource.of(row) for row in await monitoring_rule_service.history(rule_id)]

    @post("/rules", summary="Add a rule version (audited)", responses=problem_responses(409, 422))
    async def add_rule_version(
        self,
        data: JSONBody[RuleVersionRequest],
        current_user: NamedDependency[CurrentUser],
        monitoring_rule_service: NamedDependency[MonitoringRuleService],
    ) -> RuleVersionResource:
        row = await monitoring_rule_service.add_version(data.change(), current_user.actor)
        return RuleVersionResource.of(row)

    @get("/decisions/{decision_id:uuid}", summary="One decision record", responses=problem_responses(404))
    async def decision(
        self, decision_id: FromPath[UUID], monitoring_service: NamedDependency[MonitoringService]
    ) -> DecisionResource:
        return DecisionResource.of(await monitoring_service.decision(decision_id))

    @get(
        "/decisions/{decision_id:uuid}/replay",
        summary="Judge the recorded figures again with the recorded rule versions",
        responses=problem_responses(404),
    )
    async def replay(
        self, decision_id: FromPath[UUID], monitoring_service: NamedDependency[MonitoringService]
    ) -> DecisionReplayResource:
        return DecisionReplayResource.of(await monitoring_service.replay(decision_id))


class AdminCaseController(Controller):
    path = "/cases"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @get("/", summary="Cases not closed (or of a status), oldest first (cursor pages)")
    async def queue(
        self,
        case_service: NamedDependency[CaseService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        status: Annotated[CaseStatus | None, QueryParameter()] = None,
        assigned_to: Annotated[UUID | None, QueryParameter()] = None,
    ) -> CursorPage[CaseResource]:
        rows = await case_service.queue(status, assigned_to, starting_after, limit)
        return CursorPage.of(rows, limit, CaseResource.of)

    @get("/{case_id:uuid}", summary="A case with its alerts and notes", responses=problem_responses(404))
    async def show(
        self, case_id: FromPath[UUID], case_service: NamedDependency[CaseService]
    ) -> CaseFileResource:
        return CaseFileResource.of(await case_service.file(case_id))

    @post(
        "/{case_id:uuid}/assign",
        status_code=200,
        summary="Assign to a compliance officer (audited)",
        responses=problem_responses(404, 409, 422),
    )
    async def assign(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[AssignRequest],
        current_user: NamedDependency[CurrentUser],
        case_service: NamedDependency[CaseService],
    ) -> CaseResource:
        return CaseResource.of(await case_service.assign(case_id, data.officer_id, current_user.actor))

    @post("/{case_id:uuid}/notes", summary="Add a note (append-only)", responses=problem_responses(404, 422))
    async def add_note(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[NoteRequest],
        current_user: NamedDependency[CurrentUser],
        case_service: NamedDependency[CaseService],
    ) -> NoteResource:
        return NoteResource.of(await case_service.add_note(case_id, data.body, current_user.actor))

    @post(
        "/{case_id:uuid}/decision",
        status_code=200,
        summary="Decide: dismiss, escalate, or file an STR (audited)",
        responses=problem_responses(404, 409, 422),
    )
    async def decide(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[CaseDecisionRequest],
        current_user: NamedDependency[CurrentUser],
        case_service: NamedDependency[CaseService],
    ) -> CaseResource:
        case = await case_service.decide(case_id, data.decision, data.grounds, current_user.actor)
        return CaseResource.of(case)
