"""Merchant events: written with the change they describe, then relayed to webhooks by the outbox."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ompay.lib.outbox import Topic
from ompay.models import MerchantEvent
from ompay.models.base import new_id
from ompay.services.unit_of_work import UnitOfWork

EVENT_TOPIC = Topic("merchant.event", queue="webhooks")


class EventService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def record(
        self, merchant_id: UUID, type: str, object_id: UUID, sequence: int, snapshot: dict[str, Any]
    ) -> MerchantEvent:
        """`type` is `<object>.<what happened>`; the snapshot is the whole object at `sequence`."""
        event = MerchantEvent(
            id=new_id(),
            merchant_id=merchant_id,
            type=type,
            object_type=type.partition(".")[0],
            object_id=object_id,
            sequence=sequence,
            payload=snapshot,
        )
        self.uow.session.add(event)
        self.uow.outbox.add(EVENT_TOPIC, {"event_id": str(event.id)})
        return event
