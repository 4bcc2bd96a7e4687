"""Monitoring rule versions, decision records, alerts and cases (back office, officers only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from ompay.models import CaseDecision, CaseStatus, MonitoringOutcome
from ompay.schemas.fields import RequestBody
from ompay.schemas.resources import Resource
from ompay.schemas.screening import Note
from ompay.services.compliance.cases import CaseFile
from ompay.services.compliance.monitoring import DecisionReplay
from ompay.services.compliance.monitoring_rules import RuleChange

RuleId = Annotated[str, msgspec.Meta(pattern=r"^TM-\d{2}$", examples=["TM-04"])]
Param = int | float | bool | str


class RuleVersionRequest(RequestBody, frozen=True):
    rule_id: RuleId
    params: Annotated[dict[Annotated[str, msgspec.Meta(max_length=40)], Param], msgspec.Meta(max_length=20)]
    """Exactly the parameters of the version in force, each of the same kind."""
    score: Annotated[int, msgspec.Meta(ge=0, le=1000)]
    outcome: MonitoringOutcome
    effective_from: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    """When the version takes effect (now when omitted); never in the past."""

    def change(self) -> RuleChange:
        return RuleChange(self.rule_id, dict(self.params), self.score, self.outcome, self.effective_from)


class RuleVersionResource(Resource, frozen=True):
    rule_id: str
    version: int
    params: dict[str, Any]
    score: int
    outcome: MonitoringOutcome
    effective_from: datetime
    created_by: str
    created_at: datetime


class DecisionResource(Resource, frozen=True):
    id: UUID
    entry_id: UUID | None
    person_id: UUID
    trigger: str
    as_of: datetime
    results: list[dict[str, Any]]
    score: int
    outcome: MonitoringOutcome
    created_at: datetime


class DecisionReplayResource(msgspec.Struct, frozen=True):
    decision: DecisionResource
    outcome: MonitoringOutcome
    score: int
    reproduced: bool

    @classmethod
    def of(cls, replay: DecisionReplay) -> DecisionReplayResource:
        return cls(DecisionResource.of(replay.decision), replay.outcome, replay.score, replay.reproduced)


class AlertResource(Resource, frozen=True):
    id: UUID
    decision_id: UUID | None
    rules: list[str]
    score: int
    outcome: MonitoringOutcome
    created_at: datetime


class NoteResource(Resource, frozen=True):
    id: UUID
    author: str
    body: str
    created_at: datetime


class CaseResource(Resource, frozen=True):
    id: UUID
    person_id: UUID
    status: CaseStatus
    assigned_to: UUID | None
    due_at: datetime
    decision: CaseDecision | None
    decided_by: str | None
    decided_at: datetime | None
    str_report: dict[str, Any] | None
    created_at: datetime


class CaseFileResource(msgspec.Struct, frozen=True):
    case: CaseResource
    alerts: list[AlertResource]
    notes: list[NoteResource]

    @classmethod
    def of(cls, file: CaseFile) -> CaseFileResource:
        return cls(
            CaseResource.of(file.case),
            [AlertResource.of(alert) for alert in file.alerts],
            [NoteResource.of(note) for note in file.notes],
        )


class AssignRequest(RequestBody, frozen=True):
    officer_id: UUID


class NoteRequest(RequestBody, frozen=True):
    body: Note


class CaseDecisionRequest(RequestBody, frozen=True):
    decision: CaseDecision
    grounds: Note
    """Why; for `file_str`, the grounds of the suspicious transaction report."""
