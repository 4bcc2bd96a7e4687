"""Webhook delivery: each event to each subscribed endpoint, signed, retried with backoff, then dead-lettered.

Delivery is at least once: receivers dedupe on the event id. Every attempt is logged before
the call (`sending`, numbered from the log) and completed after it, so a worker killed
mid-call leaves a row whose lease runs out: the next job of the series, or the sweep when
the queue lost the job, goes on with the next attempt number.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from config.logging import get_logger
from ompay.domain.errors import NotFound, ValidationFailed
from ompay.domain.webhooks import SIGNATURE_HEADER, retry_delay, signature_header
from ompay.integrations.webhook_http import CallResult, ensure_public_target, post_signed
from ompay.lib.queue import JobDispatcher
from ompay.models import DeliveryOutcome, MerchantEvent, WebhookDelivery, WebhookEndpoint
from ompay.repositories.webhooks import MerchantEventRepository, WebhookDeliveryRepository
from ompay.services.merchants.webhook_endpoints import WebhookEndpointService

logger = get_logger(__name__)
DELIVER_JOB = "deliver_webhook"
QUEUE = "webhooks"
INTERRUPTED = "interrupted: no answer recorded"
LEASE_MARGIN_SECONDS = 1
EARLY_SLACK = timedelta(seconds=5)  # a scheduled job may start a little before the time logged
STALL_HORIZON_MARGIN = 24 * 3600


def event_body(event: MerchantEvent) -> dict[str, Any]:
    """What receivers get (and the feed lists): stable id, type, per-object sequence, full snapshot."""
    return {
        "id": str(event.id),
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "sequence": event.sequence,
        "data": event.payload,
    }


class WebhookDeliveryService:
    def __init__(self, endpoints: WebhookEndpointService, dispatcher: JobDispatcher) -> None:
        self.endpoints = endpoints
        self.uow = endpoints.uow
        self.settings = endpoints.settings
        self.dispatcher = dispatcher
        self.events = MerchantEventRepository(session=endpoints.uow.session)
        self.deliveries = WebhookDeliveryRepository(session=endpoints.uow.session)

    async def fan_out(self, event_id: UUID) -> int:
        """Queue the first attempt for every endpoint listening to this event."""
        event = await self.events.get(event_id)
        targets = await self.endpoints.endpoints.subscribed(event.merchant_id, event.type)
        for endpoint in targets:
            await self._queue(event.id, endpoint.id, attempt=1, since=event.created_at.timestamp())
        return len(targets)

    async def redeliver(self, merchant_id: UUID, event_id: UUID) -> int:
        """On demand (a dead letter, a receiver that lost it): a fresh series of attempts."""
        event = await self.events.get_one_or_none(id=event_id, merchant_id=merchant_id)
        if event is None:
            raise NotFound()
        targets = await self.endpoints.endpoints.subscribed(merchant_id, event.type)
        for endpoint in targets:
            await self._queue(event.id, endpoint.id, attempt=1, since=time.time(), force=True)
        return len(targets)

    async def deliver(
        self, event_id: UUID, endpoint_id: UUID, attempt: int, since: float, force: bool = False
    ) -> DeliveryOutcome | None:
        """The next attempt of the series started at `since`; schedules the one after or gives up.

        `attempt` only names the job: the number sent is the log's. None when there was nothing
        to do (delivered, given up, in flight elsewhere, not due yet).
        """
        event = await self.events.get(event_id)
        endpoint = await self.endpoints.endpoints.get_one_or_none(id=endpoint_id, disabled_at=None)
        if endpoint is None:
            return None
        delivery = await self._begin_attempt(event, endpoint, datetime.fromtimestamp(since, UTC), force)
        if delivery is None:
            return None
        result = await self._call(endpoint, event_body(event), delivery.attempt)
        delay = retry_delay(
            delivery.attempt,
            self.settings.webhook.retry_base_seconds,
            self.settings.webhook.retry_max_delay_seconds,
        )
        gives_up = time.time() + delay - since > self.settings.webhook.retry_window_seconds
        outcome = (
            DeliveryOutcome.SUCCEEDED
            if result.succeeded
            else DeliveryOutcome.DEAD
            if gives_up
            else DeliveryOutcome.FAILED
        )
        next_at = datetime.now(UTC) + timedelta(seconds=delay) if outcome == DeliveryOutcome.FAILED else None
        await self.deliveries.complete(
            delivery.id,
            outcome=outcome,
            response_status=result.response_status,
            error=result.error,
            duration_ms=result.duration_ms,
            next_attempt_at=next_at,
        )
        await self.uow.commit()
        if outcome == DeliveryOutcome.FAILED:
            await self._queue(event_id, endpoint_id, delivery.attempt + 1, since, force=force, delay=delay)
        elif outcome == DeliveryOutcome.DEAD:
            await logger.awarning(
                "webhook dead-lettered", event_id=str(event_id), endpoint_id=str(endpoint_id)
            )
        return outcome

    async def resume_stalled(self, batch: int = 500) -> int:
        """Series whose next attempt is due but whose job is gone (Redis lost, worker killed): queue it.

        The job key of the attempt is deterministic, so a job still waiting in the queue is not doubled.
        """
        now = datetime.now(UTC)
        horizon = now - timedelta(seconds=self.settings.webhook.retry_window_seconds + STALL_HORIZON_MARGIN)
        stalled = await self.deliveries.stalled(now, horizon, batch)
        await self.uow.commit()
        for delivery in stalled:
            since = delivery.series_started_at.timestamp()
            await self._queue(
                delivery.event_id, delivery.endpoint_id, delivery.attempt + 1, since, force=True
            )
        return len(stalled)

    async def events_page(
        self, merchant_id: UUID, limit: int, starting_after: UUID | None, event_type: str | None
    ) -> list[MerchantEvent]:
        """Up to `limit` events, newest first, plus one more when there are more (see CursorPage)."""
        return list(await self.events.page(merchant_id, limit + 1, starting_after, event_type))

    async def deliveries_page(
        self,
        merchant_id: UUID,
        limit: int,
        starting_after: UUID | None,
        event_id: UUID | None,
        endpoint_id: UUID | None,
    ) -> list[WebhookDelivery]:
        """Lets a merchant see every attempt, its status code and error, when debugging a receiver."""
        return list(await self.deliveries.page(merchant_id, limit + 1, starting_after, event_id, endpoint_id))

    async def ping(self, merchant_id: UUID, endpoint_id: UUID) -> CallResult:
        """A signed `ping` right now, so an integrator sees at once whether the endpoint answers."""
        endpoint = await self.endpoints.get(merchant_id, endpoint_id)
        body = {"id": f"ping_{int(time.time())}", "type": "ping", "created_at": datetime.now(UTC).isoformat()}
        return await self._call(endpoint, body, attempt=1)

    async def _call(self, endpoint: WebhookEndpoint, body: dict[str, Any], attempt: int) -> CallResult:
        await self.uow.commit()  # end the read transaction: no connection waits on a merchant's server
        if self.settings.app.is_production:
            try:
                await ensure_public_target(endpoint.url)
            except ValidationFailed:  # the host now resolves inside: never call it
                return CallResult(None, "forbidden target", 0)
        raw = msgspec.json.encode(body)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "OMPAY-Webhooks/1",
            SIGNATURE_HEADER: signature_header(
                self.endpoints.secrets_in_use(endpoint), int(time.time()), raw
            ),
            "OMPAY-Event-Id": str(body["id"]),
            "OMPAY-Delivery-Attempt": str(attempt),
        }
        return await post_signed(endpoint.url, raw, headers, self.settings.webhook.timeout)

    async def _begin_attempt(
        self, event: MerchantEvent, endpoint: WebhookEndpoint, series: datetime, force: bool
    ) -> WebhookDelivery | None:
        """Record the attempt about to be sent (committed before the call), or None if none is due."""
        await self.deliveries.lock_series(event.id, endpoint.id)
        latest = await self.deliveries.latest(event.id, endpoint.id, series)
        now = datetime.now(UTC)
        if not _attempt_due(latest, now) or (
            not force and await self.deliveries.delivered(event.id, endpoint.id)
        ):
            await self.uow.commit()
            return None
        if latest is not None and latest.outcome == DeliveryOutcome.SENDING:
            await self.deliveries.complete(latest.id, outcome=DeliveryOutcome.FAILED, error=INTERRUPTED)
        delivery = WebhookDelivery(
            merchant_id=event.merchant_id,
            event_id=event.id,
            endpoint_id=endpoint.id,
            attempt=latest.attempt + 1 if latest else 1,
            outcome=DeliveryOutcome.SENDING,
            duration_ms=0,
            series_started_at=series,
            next_attempt_at=now + timedelta(seconds=self._lease_seconds()),
        )
        self.uow.session.add(delivery)
        await self.uow.commit()
        return delivery

    def _lease_seconds(self) -> float:
        """How long a `sending` attempt may stay unanswered before the series goes on without it."""
        return 2 * self.settings.webhook.timeout + LEASE_MARGIN_SECONDS

    async def _queue(
        self,
        event_id: UUID,
        endpoint_id: UUID,
        attempt: int,
        since: float,
        *,
        force: bool = False,
        delay: int = 0,
    ) -> None:
        await self.dispatcher.enqueue(
            QUEUE,
            DELIVER_JOB,
            key=f"webhook:{event_id}:{endpoint_id}:{int(since)}:{attempt}",
            scheduled=int(time.time()) + delay if delay else 0,
            event_id=str(event_id),
            endpoint_id=str(endpoint_id),
            attempt=attempt,
            since=since,
            force=force,
        )


def _attempt_due(latest: WebhookDelivery | None, now: datetime) -> bool:
    """A series goes on unless it is over or its next attempt belongs to a later time (or another worker)."""
    if latest is None:
        return True
    if latest.outcome in (DeliveryOutcome.SUCCEEDED, DeliveryOutcome.DEAD):
        return False
    if latest.next_attempt_at is None:
        return True
    if latest.outcome == DeliveryOutcome.SENDING:  # only once its lease ran out: that worker is gone
        return latest.next_attempt_at <= now
    return latest.next_attempt_at <= now + EARLY_SLACK
