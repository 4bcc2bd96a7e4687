"""Notification side effects: SMS through the configured driver."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.context import services_over
from ompay.models import OutboxMessage


async def send_sms(session: AsyncSession, message: OutboxMessage) -> None:
    async with services_over(session) as services:
        await services.notification_service.deliver_sms(message)
