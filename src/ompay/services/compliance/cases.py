"""Alerts and cases: every alert of a person goes into their one open case, which an officer
assigns, annotates (append-only) and decides (`dismiss`, `escalate`, `file_str`) within its SLA."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from config.settings import MonitoringSettings
from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound, invalid_field
from ompay.domain.exports import ExportType
from ompay.lib.metrics import CASES_OVERDUE, MONITORING_ALERTS
from ompay.models import (
    Alert,
    CaseDecision,
    CaseNote,
    CaseStatus,
    ComplianceCase,
    MonitoringDecision,
    MonitoringOutcome,
    UserRole,
)
from ompay.repositories.monitoring import CaseRepository
from ompay.repositories.users import UserRepository
from ompay.services.exports.requests import ExportRequestService, event_order
from ompay.services.unit_of_work import UnitOfWork

OFFICERS = (UserRole.COMPLIANCE_OFFICER, UserRole.ADMIN)


@dataclass(frozen=True, slots=True)
class CaseFile:
    case: ComplianceCase
    alerts: Sequence[Alert]
    notes: Sequence[CaseNote]


class CaseClosed(Conflict):
    message_fr = "Ce dossier est clos."
    message_en = "This case is closed."


class CaseService:
    def __init__(self, uow: UnitOfWork, settings: MonitoringSettings, exports: ExportRequestService) -> None:
        self.exports = exports
        self.uow = uow
        self.settings = settings
        self.cases = CaseRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def file_alert(self, decision: MonitoringDecision, rules: list[str]) -> Alert:
        """In the caller's transaction: the alert joins the person's open case, or opens one; an
        urgent alert brings the case's deadline forward, never back."""
        due = datetime.now(UTC) + timedelta(hours=self._sla_hours(decision.outcome))
        alert = Alert(
            case_id=await self.cases.open_case(decision.person_id, due),
            person_id=decision.person_id,
            decision_id=decision.id,
            rules=rules,
            score=decision.score,
            outcome=decision.outcome,
        )
        self.uow.session.add(alert)
        for rule in rules:
            MONITORING_ALERTS.labels(rule=rule).inc()
        return alert

    async def queue(
        self, status: CaseStatus | None, assigned_to: UUID | None, after: UUID | None, limit: int
    ) -> Sequence[ComplianceCase]:
        """Cases not closed (or of `status`), oldest first; one more than `limit` when there are more."""
        return await self.cases.queue(status, assigned_to, after, limit + 1)

    async def file(self, case_id: UUID) -> CaseFile:
        """The case with its alerts and notes, oldest first."""
        case = await self._get(case_id)
        return CaseFile(case, await self.cases.alerts_of(case.id), await self.cases.notes_of(case.id))

    async def assign(self, case_id: UUID, officer_id: UUID, actor: Actor) -> ComplianceCase:
        """Only to a compliance officer or an admin."""
        case = await self._open(case_id)
        officer = await self.users.get_one_or_none(id=officer_id)
        if officer is None or officer.role not in OFFICERS:
            raise invalid_field(
                "officer_id", "Ce membre du personnel n'est pas chargé de la conformité.", "Not an officer."
            )
        case.assigned_to = officer.id
        self._audit("case.assigned", case, actor, {"officer_id": str(officer.id)})
        await self.uow.commit()
        return case

    async def add_note(self, case_id: UUID, body: str, actor: Actor) -> CaseNote:
        """Notes are never edited nor removed; a closed case still takes notes."""
        case = await self._get(case_id)
        note = CaseNote(case_id=case.id, author=actor.id or "system", body=body)
        self.uow.session.add(note)
        await self.uow.commit()
        return note

    async def decide(
        self, case_id: UUID, decision: CaseDecision, grounds: str, actor: Actor
    ) -> ComplianceCase:
        """`escalate` keeps the case open for the reporting officer; `dismiss` and `file_str` close
        it, `file_str` with what the STR export needs. The grounds become the case's last note."""
        case = await self._open(case_id)
        self.uow.session.add(CaseNote(case_id=case.id, author=actor.id or "system", body=grounds))
        case.decision, case.decided_by, case.decided_at = decision, actor.id, datetime.now(UTC)
        case.status = CaseStatus.ESCALATED if decision == CaseDecision.ESCALATE else CaseStatus.CLOSED
        if decision == CaseDecision.FILE_STR:
            case.str_report = await self._str_report(case, grounds, actor)
            order = event_order(ExportType.SUSPICIOUS_TRANSACTION_REPORT, case.id, case.decided_at)
            await self.exports.request(order, actor)
        self._audit(f"case.{decision.value}", case, actor, {"status": case.status.value})
        await self.uow.commit()
        return case

    async def refresh_overdue(self) -> int:
        """Publishes the number of cases past their deadline to `/metrics`."""
        overdue = await self.cases.overdue(datetime.now(UTC))
        CASES_OVERDUE.set(overdue)
        return overdue

    async def _str_report(self, case: ComplianceCase, grounds: str, actor: Actor) -> dict[str, Any]:
        alerts = await self.cases.alerts_of(case.id)
        entries = await self.cases.entries_of([alert.decision_id for alert in alerts if alert.decision_id])
        return {
            "person_id": str(case.person_id),
            "grounds": grounds,
            "rules": sorted({rule for alert in alerts for rule in alert.rules}),
            "entry_ids": sorted(str(entry) for entry in entries),
            "filed_by": actor.id,
            "filed_at": datetime.now(UTC).isoformat(),
        }

    async def _get(self, case_id: UUID) -> ComplianceCase:
        case = await self.cases.get_one_or_none(id=case_id)
        if case is None:
            raise NotFound()
        return case

    async def _open(self, case_id: UUID) -> ComplianceCase:
        case = await self._get(case_id)
        if case.status == CaseStatus.CLOSED:
            raise CaseClosed()
        return case

    def _sla_hours(self, outcome: MonitoringOutcome) -> int:
        urgent = outcome in (MonitoringOutcome.BLOCK_AND_REVIEW, MonitoringOutcome.DECLINE)
        return self.settings.urgent_case_sla_hours if urgent else self.settings.case_sla_hours

    def _audit(self, action: str, case: ComplianceCase, actor: Actor, changes: dict[str, Any]) -> None:
        target = str(case.id)
        self.uow.audit.record(action, actor, target_type="compliance_case", target_id=target, changes=changes)
