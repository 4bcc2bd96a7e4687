"""Webhook delivery: each event to each subscribed endpoint, signed, retried with backoff, then dead-lettered.

Delivery is at least once: receivers dedupe on the event id. Every attempt is logged.
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
from ompay.services.webhook_endpoints import WebhookEndpointService

logger = get_logger(__name__)
DELIVER_JOB = "deliver_webhook"
QUEUE = "webhooks"


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
        """One attempt; schedules the next one or gives up. None when there was nothing to do."""
        event = await self.events.get(event_id)
        endpoint = await self.endpoints.endpoints.get_one_or_none(id=endpoint_id, disabled_at=None)
        if endpoint is None or (not force and await self.deliveries.delivered(event_id, endpoint_id)):
            return None
        result = await self._call(endpoint, event_body(event), attempt)
        delay = retry_delay(
            attempt, self.settings.webhook.retry_base_seconds, self.settings.webhook.retry_max_delay_seconds
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
        self._log(event, endpoint, attempt, outcome, result, next_at)
        await self.uow.commit()
        if outcome == DeliveryOutcome.FAILED:
            await self._queue(event_id, endpoint_id, attempt + 1, since, force=force, delay=delay)
        elif outcome == DeliveryOutcome.DEAD:
            await logger.awarning(
                "webhook dead-lettered", event_id=str(event_id), endpoint_id=str(endpoint_id)
            )
        return outcome

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

    def _log(
        self,
        event: MerchantEvent,
        endpoint: WebhookEndpoint,
        attempt: int,
        outcome: DeliveryOutcome,
        result: CallResult,
        next_at: datetime | None,
    ) -> None:
        self.uow.session.add(
            WebhookDelivery(
                merchant_id=event.merchant_id,
                event_id=event.id,
                endpoint_id=endpoint.id,
                attempt=attempt,
                outcome=outcome,
                response_status=result.response_status,
                error=result.error,
                duration_ms=result.duration_ms,
                next_attempt_at=next_at,
            )
        )

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
        series = "redelivery" if force else "delivery"
        await self.dispatcher.enqueue(
            QUEUE,
            DELIVER_JOB,
            key=f"webhook:{series}:{event_id}:{endpoint_id}:{attempt}:{int(since)}",
            scheduled=int(time.time()) + delay if delay else 0,
            event_id=str(event_id),
            endpoint_id=str(endpoint_id),
            attempt=attempt,
            since=since,
            force=force,
        )
