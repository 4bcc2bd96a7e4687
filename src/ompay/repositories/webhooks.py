"""Queries over webhook endpoints, merchant events and delivery attempts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import exists, func, or_, select, text, update
from sqlalchemy.orm import aliased

from ompay.models import DeliveryOutcome, MerchantEvent, WebhookDelivery, WebhookEndpoint


class WebhookEndpointRepository(SQLAlchemyAsyncRepository[WebhookEndpoint]):
    model_type = WebhookEndpoint

    async def live(self, merchant_id: UUID) -> Sequence[WebhookEndpoint]:
        stmt = select(WebhookEndpoint).where(
            WebhookEndpoint.merchant_id == merchant_id, WebhookEndpoint.disabled_at.is_(None)
        )
        return (await self.session.scalars(stmt.order_by(WebhookEndpoint.created_at))).all()

    async def subscribed(self, merchant_id: UUID, event_type: str) -> Sequence[WebhookEndpoint]:
        """Live endpoints listening to `event_type` (an empty filter means every event)."""
        stmt = select(WebhookEndpoint).where(
            WebhookEndpoint.merchant_id == merchant_id,
            WebhookEndpoint.disabled_at.is_(None),
            or_(func.cardinality(WebhookEndpoint.events) == 0, WebhookEndpoint.events.contains([event_type])),
        )
        return (await self.session.scalars(stmt)).all()


class MerchantEventRepository(SQLAlchemyAsyncRepository[MerchantEvent]):
    model_type = MerchantEvent

    async def page(
        self, merchant_id: UUID, limit: int, starting_after: UUID | None, event_type: str | None
    ) -> Sequence[MerchantEvent]:
        """Newest first; UUIDv7 ids order by creation and serve as the cursor."""
        stmt = select(MerchantEvent).where(MerchantEvent.merchant_id == merchant_id)
        if event_type:
            stmt = stmt.where(MerchantEvent.type == event_type)
        if starting_after:
            stmt = stmt.where(MerchantEvent.id < starting_after)
        return (await self.session.scalars(stmt.order_by(MerchantEvent.id.desc()).limit(limit))).all()


class WebhookDeliveryRepository(SQLAlchemyAsyncRepository[WebhookDelivery]):
    model_type = WebhookDelivery

    async def delivered(self, event_id: UUID, endpoint_id: UUID) -> bool:
        stmt = select(
            exists().where(
                WebhookDelivery.event_id == event_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.outcome == DeliveryOutcome.SUCCEEDED,
            )
        )
        return bool(await self.session.scalar(stmt))

    async def lock_series(self, event_id: UUID, endpoint_id: UUID) -> None:
        """Serialise attempts at one event for one endpoint until this transaction ends."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"webhook:{event_id}:{endpoint_id}"},
        )

    async def latest(self, event_id: UUID, endpoint_id: UUID, series: datetime) -> WebhookDelivery | None:
        stmt = (
            select(WebhookDelivery)
            .where(
                WebhookDelivery.event_id == event_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.series_started_at == series,
            )
            .order_by(WebhookDelivery.id.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def complete(self, delivery_id: UUID, **values: object) -> None:
        await self.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values)
        )

    async def stalled(self, now: datetime, since: datetime, limit: int) -> Sequence[WebhookDelivery]:
        """Last attempts (per event and endpoint) whose follow-up is due since `since` and never came."""
        later = aliased(WebhookDelivery)
        newer_attempt = exists().where(
            later.event_id == WebhookDelivery.event_id,
            later.endpoint_id == WebhookDelivery.endpoint_id,
            later.id > WebhookDelivery.id,
        )
        stmt = (
            select(WebhookDelivery)
            .where(
                WebhookDelivery.next_attempt_at <= now,
                WebhookDelivery.next_attempt_at > since,
                ~newer_attempt,
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def page(
        self,
        merchant_id: UUID,
        limit: int,
        starting_after: UUID | None,
        event_id: UUID | None,
        endpoint_id: UUID | None,
    ) -> Sequence[WebhookDelivery]:
        stmt = select(WebhookDelivery).where(WebhookDelivery.merchant_id == merchant_id)
        if event_id:
            stmt = stmt.where(WebhookDelivery.event_id == event_id)
        if endpoint_id:
            stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
        if starting_after:
            stmt = stmt.where(WebhookDelivery.id < starting_after)
        return (await self.session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit))).all()
