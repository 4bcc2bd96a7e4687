"""Webhook jobs: fan an event out to the endpoints listening to it, deliver each attempt, resume stalls."""

from __future__ import annotations

from uuid import UUID

from saq.types import Context

from jobs.context import job_services
from jobs.ticks import once_per_tick
from ompay.models import DeliveryOutcome, OutboxMessage
from ompay.services.container import Services


async def fan_out_event(services: Services, message: OutboxMessage) -> None:
    await services.webhook_delivery_service.fan_out(UUID(message.payload["event_id"]))


async def deliver_webhook(
    ctx: Context, *, event_id: str, endpoint_id: str, attempt: int, since: float, force: bool = False
) -> DeliveryOutcome | None:
    async with job_services(ctx) as services:
        return await services.webhook_delivery_service.deliver(
            UUID(event_id), UUID(endpoint_id), attempt, since, force
        )


@once_per_tick
async def resume_stalled_webhooks(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await services.webhook_delivery_service.resume_stalled()
