"""Notification side effects: SMS through the configured driver."""

from __future__ import annotations

from ompay.models import OutboxMessage
from ompay.services.container import Services


async def send_sms(services: Services, message: OutboxMessage) -> None:
    await services.notification_service.deliver_sms(message)
