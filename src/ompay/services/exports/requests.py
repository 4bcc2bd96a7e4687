"""Asking for an export: its record and the message that generates it, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.exports import Cadence, ExportType, Period, period_of
from ompay.lib.outbox import Topic
from ompay.models import Export, ExportStatus
from ompay.repositories.exports import ExportRepository
from ompay.services.unit_of_work import UnitOfWork

EXPORT_REQUESTED = Topic("export.requested", queue="reporting")
"""Generate an export: long reads on the reporting workers, never on the compliance queue."""


@dataclass(frozen=True, slots=True)
class ExportOrder:
    type: ExportType
    period: Period
    subject: str = ""
    merchant_id: UUID | None = None


def event_order(type: ExportType, subject: UUID, moment: datetime) -> ExportOrder:
    """An event report (an STR, a freeze) is filed under the Dakar day of its event, whether the
    event itself or an officer's rerun asks for it."""
    return ExportOrder(type, period_of(Cadence.DAILY, moment), str(subject))


class ExportRequestService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.exports = ExportRepository(session=uow.session)

    async def request(self, order: ExportOrder, actor: Actor, *, rerun: bool = False) -> Export:
        """The first request of (type, period, subject) records the export and queues its generation;
        a later one returns the same record, and queues it again only for a `rerun` (which writes
        the same bytes). Joins the caller's transaction: a freeze or an STR that rolls back
        leaves no export behind."""
        export, first = await self.record(order, actor)
        if first or rerun:
            self.uow.outbox.add(EXPORT_REQUESTED, {"export_id": str(export.id)})
        return export

    async def record(self, order: ExportOrder, actor: Actor) -> tuple[Export, bool]:
        """The export's record, and whether this call created it; who asked is audited either way."""
        export = await self.exports.claim(
            {
                "type": order.type,
                "period": order.period.label,
                "subject": order.subject,
                "merchant_id": order.merchant_id,
                "period_start": order.period.start,
                "period_end": order.period.end,
                "status": ExportStatus.PENDING,
                "requested_by": actor.id or actor.type,
            }
        )
        first = export is not None
        if export is None:
            export = await self.exports.find(order.type, order.period.label, order.subject)
        self.uow.audit.record(
            "export.requested",
            actor,
            target_type="export",
            target_id=str(export.id),
            changes={"type": order.type.value, "period": order.period.label, "first": first},
        )
        return export, first
