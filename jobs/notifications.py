"""Notification side effects: SMS through the configured driver."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from jobs.context import job_dispatcher
from jobs.registry import outbox_handler
from ompay.lib.crypto import Keys, Sealer
from ompay.models import OutboxMessage
from ompay.services.notifications import SMS_TOPIC, NotificationService
from ompay.services.unit_of_work import UnitOfWork


@outbox_handler(SMS_TOPIC.name)
async def send_sms(session: AsyncSession, message: OutboxMessage) -> None:
    settings = get_settings()
    uow = UnitOfWork(session, job_dispatcher(), settings.queue)
    sealer = Sealer(Keys.derive(settings.app.secret_key).sealing)
    await NotificationService(uow, sealer, settings.sms).deliver_sms(message)
