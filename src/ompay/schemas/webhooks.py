"""Webhook endpoint, event feed and delivery-log payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from ompay.models import DeliveryOutcome, MerchantEvent
from ompay.schemas.fields import FREE_TEXT_PATTERN, TEXT_PATTERN, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.merchants.webhook_delivery import event_body

Url = Annotated[
    str,
    msgspec.Meta(
        min_length=8, max_length=2048, pattern=TEXT_PATTERN, examples=["https://shop.example.sn/ompay"]
    ),
]
EndpointDescription = Annotated[str, msgspec.Meta(max_length=200, pattern=FREE_TEXT_PATTERN)]
EventType = Annotated[str, msgspec.Meta(max_length=60, pattern=TEXT_PATTERN)]
EventFilter = Annotated[list[EventType], msgspec.Meta(max_length=20, description="Empty: every event")]


class WebhookEndpointCreate(RequestBody, frozen=True):
    url: Url
    events: EventFilter = msgspec.field(default_factory=list)
    description: EndpointDescription | None = None


class WebhookEndpointUpdate(RequestBody, frozen=True):
    url: Url | None = None
    events: EventFilter | None = None
    description: EndpointDescription | None = None


class WebhookEndpointResource(Resource, frozen=True):
    id: UUID
    url: str
    events: list[str]
    description: str | None
    previous_secret_expires_at: datetime | None
    created_at: datetime


class WebhookEndpointWithSecret(msgspec.Struct, frozen=True):
    """The only response that carries the signing secret: store it now."""

    endpoint: WebhookEndpointResource
    secret: str


class WebhookEndpointList(msgspec.Struct, frozen=True):
    data: list[WebhookEndpointResource]


class EventResource(msgspec.Struct, frozen=True):
    id: UUID
    type: str
    created_at: datetime
    object_type: str
    object_id: UUID
    sequence: int
    data: dict[str, Any]

    @classmethod
    def of(cls, event: MerchantEvent) -> EventResource:
        return msgspec.convert(event_body(event), cls)


class DeliveryResource(Resource, frozen=True):
    id: UUID
    event_id: UUID
    endpoint_id: UUID
    attempt: int
    outcome: DeliveryOutcome
    response_status: int | None
    error: str | None
    duration_ms: int
    next_attempt_at: datetime | None
    created_at: datetime


class PingResult(msgspec.Struct, frozen=True):
    delivered: bool
    response_status: int | None
    error: str | None
    duration_ms: int


class Redelivery(msgspec.Struct, frozen=True):
    queued: int
