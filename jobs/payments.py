"""Payment jobs: pending requests past their expiry become `expired` (and merchants hear of it)."""

from __future__ import annotations

from saq.types import Context

from config.settings import get_settings
from jobs.context import job_unit_of_work
from jobs.ticks import once_per_tick
from ompay.lib.redis import create_redis
from ompay.services.money_kit import MoneyKit
from ompay.services.payments import PaymentService
from ompay.services.security import Security


@once_per_tick
async def expire_payment_requests(ctx: Context) -> int:
    settings = get_settings()
    redis = create_redis(settings.redis)
    try:
        async with job_unit_of_work(ctx) as uow:
            kit = MoneyKit.build(uow, Security.build(settings, redis))
            return await PaymentService.build(kit).expire_stale()
    finally:
        await redis.aclose()
