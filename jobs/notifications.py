"""Notification side effects: SMS through the configured driver."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from jobs.context import job_dispatcher
from ompay.lib.crypto import Keys, Sealer
from ompay.models import OutboxMessage
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork


async def send_sms(session: AsyncSession, message: OutboxMessage) -> None:
    settings = get_settings()
    uow = UnitOfWork(session, job_dispatcher(), settings.queue)
    sealer = Sealer(Keys.derive(settings.app.secret_key).sealing)
    await NotificationService(uow, sealer, settings.sms).deliver_sms(message)
