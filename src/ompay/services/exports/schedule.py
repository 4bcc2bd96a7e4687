"""The export calendar: every scheduled export of every finished period, once, caught up after
a worker was down at the due time."""

from __future__ import annotations

from datetime import datetime, timedelta

from ompay.domain.actors import Actor
from ompay.domain.exports import PER_MERCHANT, SCHEDULED, ExportType, Period, due_periods
from ompay.repositories.exports import ExportRepository
from ompay.services.exports.requests import ExportOrder, ExportRequestService
from ompay.services.unit_of_work import UnitOfWork

SCHEDULER = Actor.system("export-schedule")
STALLED_AFTER = timedelta(hours=1)


class ExportScheduleService:
    def __init__(self, uow: UnitOfWork, requests: ExportRequestService) -> None:
        self.uow = uow
        self.requests = requests
        self.exports = ExportRepository(session=uow.session)

    async def request_due(self, now: datetime, look_back: timedelta) -> int:
        """Periods due within `look_back` and not exported yet are requested (nothing before the
        ledger's first entry)."""
        first = await self.exports.first_activity()
        requested = 0
        if first is not None:
            since = max(now - look_back, first)
            for export_type in SCHEDULED:
                requested += await self._request_missing(export_type, due_periods(export_type, now, since))
        await self.uow.commit()
        return requested

    async def retry_unfinished(self, now: datetime) -> int:
        """Exports that stalled or failed an hour ago or more are queued again (on a worker's start:
        their outbox messages may have run out of attempts while it was down)."""
        stalled = await self.exports.unfinished(now - STALLED_AFTER)
        for export in stalled:
            period = Period(export.period_start, export.period_end, export.period)
            order = ExportOrder(export.type, period, export.subject, export.merchant_id)
            await self.requests.request(order, SCHEDULER, rerun=True)
        await self.uow.commit()
        return len(stalled)

    async def _request_missing(self, export_type: ExportType, periods: list[Period]) -> int:
        if not periods:
            return 0
        done = await self.exports.existing(export_type, [period.label for period in periods])
        orders = [
            order
            for period in periods
            for order in await self._orders(export_type, period)
            if (period.label, order.subject) not in done
        ]
        for order in orders:
            await self.requests.request(order, SCHEDULER)
        return len(orders)

    async def _orders(self, export_type: ExportType, period: Period) -> list[ExportOrder]:
        if export_type not in PER_MERCHANT:
            return [ExportOrder(export_type, period)]
        merchants = await self.exports.merchants_open_before(period.end)
        return [ExportOrder(export_type, period, str(merchant_id), merchant_id) for merchant_id in merchants]
