"""The job table: every function a worker runs, and the function that performs each outbox topic.

Both tables hold function references, so a renamed or deleted job fails at import, and
`tests/unit/test_job_registry.py` fails when a service enqueues a job, or declares a topic,
that no table names. The two outbox jobs live here because they dispatch over the topic table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID

from saq.types import Context

from jobs.audit import seal_audit_events, verify_audit_chain
from jobs.compliance import (
    anonymise_closed_users,
    evaluate_entry,
    evaluate_windowed_rules,
    expire_kyc_documents,
    record_velocity_alert,
    rescreen_everyone,
    run_kyb_checks,
    run_kyc_checks,
    schedule_rescreening,
)
from jobs.context import job_services
from jobs.exports import catch_up_exports, generate_export, request_due_exports
from jobs.ledger import expire_cash_outs, reconcile_ledger
from jobs.notifications import send_sms
from jobs.payments import expire_payment_requests
from jobs.ticks import once_per_tick
from jobs.webhooks import deliver_webhook, fan_out_event, resume_stalled_webhooks
from ompay.lib.outbox import Topic
from ompay.models import OutboxMessage
from ompay.services.compliance.topics import ENTRY_POSTED, KYB_SUBMITTED, KYC_SUBMITTED, LIST_IMPORTED
from ompay.services.container import Services
from ompay.services.exports.requests import EXPORT_REQUESTED
from ompay.services.merchants.events import EVENT_TOPIC
from ompay.services.notifications import SMS_TOPIC
from ompay.services.outbox import DeliveryOutcome, OutboxEffect

TopicHandler = Callable[[Services, OutboxMessage], Awaitable[None]]

OUTBOX_HANDLERS: dict[Topic, TopicHandler] = {
    SMS_TOPIC: send_sms,
    EVENT_TOPIC: fan_out_event,
    KYC_SUBMITTED: run_kyc_checks,
    KYB_SUBMITTED: run_kyb_checks,
    LIST_IMPORTED: schedule_rescreening,
    ENTRY_POSTED: evaluate_entry,
    EXPORT_REQUESTED: generate_export,
}


def handler_for(topic: str) -> TopicHandler:
    for known, handler in OUTBOX_HANDLERS.items():
        if known.name == topic:
            return handler
    raise LookupError(f"no outbox handler for topic {topic!r}")


async def deliver_outbox_message(ctx: Context, *, message_id: str) -> DeliveryOutcome:
    job = ctx.get("job")
    lease = timedelta(seconds=2 * (job.timeout if job and job.timeout else 30))
    async with job_services(ctx) as services:
        return await deliver_with(services, UUID(message_id), lease)


async def deliver_with(services: Services, message_id: UUID, lease: timedelta) -> DeliveryOutcome:
    """Deliver one message; its topic's handler works with the delivering job's own services."""

    def effect_for(topic: str) -> OutboxEffect:
        return partial(handler_for(topic), services)

    return await services.uow.outbox.deliver(message_id, effect_for, lease)


@once_per_tick
async def sweep_outbox(ctx: Context) -> int:
    """Relay what a request committed but could not enqueue (Redis down, process killed)."""
    async with job_services(ctx) as services:
        return await services.uow.outbox.sweep()


JOBS: tuple[Callable[..., Awaitable[Any]], ...] = (
    deliver_outbox_message,
    sweep_outbox,
    seal_audit_events,
    verify_audit_chain,
    reconcile_ledger,
    expire_cash_outs,
    expire_payment_requests,
    deliver_webhook,
    rescreen_everyone,
    resume_stalled_webhooks,
    expire_kyc_documents,
    evaluate_windowed_rules,
    record_velocity_alert,
    request_due_exports,
    catch_up_exports,
    anonymise_closed_users,
)
