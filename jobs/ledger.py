"""Ledger jobs: the daily reconciliation; cash-outs nobody approved in time expire."""

from __future__ import annotations

from saq.types import Context

from jobs.context import job_services
from jobs.ticks import once_per_tick
from ompay.services.ledger.cash_out import expire_stale_cash_outs


@once_per_tick
async def reconcile_ledger(ctx: Context) -> bool:
    async with job_services(ctx) as services:
        return (await services.ledger_admin_service.reconcile()).balanced


@once_per_tick
async def expire_cash_outs(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await expire_stale_cash_outs(services.uow)
