"""Outbox jobs: deliver one message through its topic's handler; sweep what the relay missed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from jobs.context import job_unit_of_work
from ompay.services.outbox import DeliveryOutcome, OutboxHandler

OUTBOX_HANDLERS: dict[str, OutboxHandler] = {}


def outbox_handler(topic: str) -> Callable[[OutboxHandler], OutboxHandler]:
    """Register the function that performs a topic's side effect (one per topic)."""

    def register(handler: OutboxHandler) -> OutboxHandler:
        if topic in OUTBOX_HANDLERS:
            raise ValueError(f"outbox topic {topic!r} already has a handler")
        OUTBOX_HANDLERS[topic] = handler
        return handler

    return register


def handler_for(topic: str) -> OutboxHandler:
    try:
        return OUTBOX_HANDLERS[topic]
    except KeyError:
        raise LookupError(f"no outbox handler for topic {topic!r}") from None


async def deliver_outbox_message(ctx: dict[str, Any], *, message_id: str) -> DeliveryOutcome:
    job = ctx.get("job")
    lease = timedelta(seconds=2 * (job.timeout if job and job.timeout else 30))
    async with job_unit_of_work(ctx) as uow:
        return await uow.outbox.deliver(UUID(message_id), handler_for, lease)


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    async with job_unit_of_work(ctx) as uow:
        return await uow.outbox.sweep()
