"""Webhook jobs: fan an event out to the endpoints listening to it, deliver each attempt, resume stalls."""

from __future__ import annotations

from uuid import UUID

from saq.types import Context
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from jobs.context import job_dispatcher, job_unit_of_work
from jobs.ticks import once_per_tick
from ompay.lib.crypto import Keys, Sealer
from ompay.models import DeliveryOutcome, OutboxMessage
from ompay.services.unit_of_work import UnitOfWork
from ompay.services.webhook_delivery import WebhookDeliveryService
from ompay.services.webhook_endpoints import WebhookEndpointService


def delivery_service(uow: UnitOfWork) -> WebhookDeliveryService:
    settings = get_settings()
    endpoints = WebhookEndpointService(uow, Sealer(Keys.derive(settings.app.secret_key).sealing), settings)
    return WebhookDeliveryService(endpoints, job_dispatcher())


async def fan_out_event(session: AsyncSession, message: OutboxMessage) -> None:
    uow = UnitOfWork(session, job_dispatcher(), get_settings().queue)
    await delivery_service(uow).fan_out(UUID(message.payload["event_id"]))


async def deliver_webhook(
    ctx: Context, *, event_id: str, endpoint_id: str, attempt: int, since: float, force: bool = False
) -> DeliveryOutcome | None:
    async with job_unit_of_work(ctx) as uow:
        return await delivery_service(uow).deliver(UUID(event_id), UUID(endpoint_id), attempt, since, force)


@once_per_tick
async def resume_stalled_webhooks(ctx: Context) -> int:
    async with job_unit_of_work(ctx) as uow:
        return await delivery_service(uow).resume_stalled()
