"""Ledger jobs: the daily reconciliation; cash-outs nobody approved in time expire."""

from __future__ import annotations

from saq.types import Context

from config.settings import get_settings
from jobs.context import job_unit_of_work
from jobs.ticks import once_per_tick
from ompay.services.cash_out import expire_stale_cash_outs
from ompay.services.ledger_admin import LedgerAdminService
from ompay.services.limits import amount_bounds


@once_per_tick
async def reconcile_ledger(ctx: Context) -> bool:
    async with job_unit_of_work(ctx) as uow:
        return (await LedgerAdminService(uow, amount_bounds(get_settings().ledger)).reconcile()).balanced


@once_per_tick
async def expire_cash_outs(ctx: Context) -> int:
    async with job_unit_of_work(ctx) as uow:
        return await expire_stale_cash_outs(uow)
