"""Payment jobs: pending requests past their expiry become `expired` (and merchants hear of it)."""

from __future__ import annotations

from saq.types import Context

from jobs.context import job_services
from jobs.ticks import once_per_tick


@once_per_tick
async def expire_payment_requests(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await services.merchant_payment_service.expire_stale()
