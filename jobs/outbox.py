"""Outbox jobs: deliver one message through its topic's handler; sweep what the relay missed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import jobs.notifications
import jobs.webhooks  # noqa: F401 - registers its outbox handlers
from jobs.context import job_unit_of_work
from jobs.registry import handler_for
from jobs.ticks import once_per_tick
from ompay.services.outbox import DeliveryOutcome


async def deliver_outbox_message(ctx: dict[str, Any], *, message_id: str) -> DeliveryOutcome:
    job = ctx.get("job")
    lease = timedelta(seconds=2 * (job.timeout if job and job.timeout else 30))
    async with job_unit_of_work(ctx) as uow:
        return await uow.outbox.deliver(UUID(message_id), handler_for, lease)


@once_per_tick
async def sweep_outbox(ctx: dict[str, Any]) -> int:
    async with job_unit_of_work(ctx) as uow:
        return await uow.outbox.sweep()
