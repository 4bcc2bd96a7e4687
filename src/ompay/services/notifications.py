"""Notifications to customers: queued through the outbox, sent by the `notifications` workers."""

from __future__ import annotations

from config.settings import SmsSettings
from ompay.integrations.sms import sms_driver
from ompay.lib.crypto import Sealer
from ompay.lib.outbox import Topic
from ompay.models import OutboxMessage
from ompay.services.unit_of_work import UnitOfWork

SMS_TOPIC = Topic("notification.sms", queue="notifications")


class NotificationService:
    def __init__(self, uow: UnitOfWork, sealer: Sealer, settings: SmsSettings) -> None:
        self.uow = uow
        self.sealer = sealer
        self.settings = settings

    def queue_sms(self, phone: str, message: str) -> None:
        """Send once the caller's transaction commits; sealed while it waits (it may hold a code)."""
        self.uow.outbox.add(SMS_TOPIC, {"phone": phone, "sealed_message": self.sealer.seal(message)})

    async def deliver_sms(self, message: OutboxMessage) -> None:
        """The text is sealed at rest in the outbox and unsealed only to send it.

        The message id goes with it, so the provider can drop a retried send.
        """
        text = self.sealer.unseal(message.payload["sealed_message"])
        driver = sms_driver(self.settings, self.uow.session)
        await driver.send(message.payload["phone"], text, message_id=str(message.id))
