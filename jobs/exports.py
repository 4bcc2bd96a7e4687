"""Export jobs: the calendar (every 30 minutes, and a catch-up when a reporting worker starts) and
the generation of one export, run from its outbox message on the `reporting` queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from saq.types import Context

from config.settings import get_settings
from jobs.context import job_dispatcher, job_services
from jobs.ticks import once_per_tick
from ompay.models import OutboxMessage
from ompay.services.container import Services

RECENT = timedelta(days=2)
CATCH_UP_KEY = "exports:catch-up"


async def generate_export(services: Services, message: OutboxMessage) -> None:
    await services.export_generation_service.generate(UUID(message.payload["export_id"]))


@once_per_tick
async def request_due_exports(ctx: Context) -> int:
    """Exports of the last two days that fell due; a longer outage is the catch-up's."""
    async with job_services(ctx) as services:
        return await services.export_schedule_service.request_due(datetime.now(UTC), RECENT)


async def catch_up_exports(ctx: Context) -> int:
    """A starting worker requests every export missed while none ran, and retries stalled ones."""
    now = datetime.now(UTC)
    look_back = timedelta(days=get_settings().exports.catch_up_days)
    async with job_services(ctx) as services:
        schedule = services.export_schedule_service
        return await schedule.request_due(now, look_back) + await schedule.retry_unfinished(now)


async def start_catch_up(ctx: Context) -> None:
    """Worker startup hook: one catch-up however many workers start together (keyed)."""
    await job_dispatcher().enqueue("reporting", catch_up_exports.__name__, key=CATCH_UP_KEY)
