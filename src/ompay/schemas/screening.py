"""Screening hits, logged queries and their replays, and freezes (back office, officers only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from ompay.models import ScreeningHitStatus, ScreeningOutcome, ScreeningTrigger
from ompay.schemas.fields import TEXT_PATTERN, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.compliance.screening import Replay

Note = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=TEXT_PATTERN)]


class HitDecisionRequest(RequestBody, frozen=True):
    decision: Literal["confirm", "dismiss"]
    """`confirm` freezes every account of the person at once; `dismiss` clears a false positive."""
    note: Note


class UnfreezeRequest(RequestBody, frozen=True):
    note: Note


class ScreeningHitResource(Resource, frozen=True):
    id: UUID
    query_id: UUID
    person_id: UUID
    status: ScreeningHitStatus
    score: float
    exact_id: bool
    list_name: str
    reference: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime


class ScreeningQueryResource(Resource, frozen=True):
    id: UUID
    person_id: UUID
    subject_kind: str
    subject_id: UUID
    trigger: ScreeningTrigger
    subject: dict[str, Any]
    list_version_ids: list[UUID]
    threshold: float
    candidates: list[dict[str, Any]]
    outcome: ScreeningOutcome
    created_at: datetime


class ReplayResource(msgspec.Struct, frozen=True):
    query: ScreeningQueryResource
    outcome: ScreeningOutcome
    candidates: list[dict[str, Any]]
    reproduced: bool

    @classmethod
    def of(cls, replay: Replay) -> ReplayResource:
        return cls(
            ScreeningQueryResource.of(replay.query),
            replay.verdict.outcome,
            replay.verdict.candidates,
            replay.reproduced,
        )


class FreezeResource(Resource, frozen=True):
    id: UUID
    person_id: UUID
    reason: str
    frozen_by: str
    frozen_at: datetime
    lifted_by: str | None
    lifted_at: datetime | None
    lift_note: str | None
