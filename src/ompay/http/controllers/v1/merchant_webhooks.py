"""/api/v1/merchant webhook endpoints, the event feed and the delivery log (API key)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from ompay.domain.merchants import Scope
from ompay.http.controllers.v1.merchant_api import MerchantApiController
from ompay.http.merchant_auth import requires_scope
from ompay.schemas.fields import text_query
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.schemas.webhooks import (
    DeliveryResource,
    EventResource,
    PingResult,
    Redelivery,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointResource,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)
from ompay.services.merchants.api_keys import MerchantCaller
from ompay.services.merchants.webhook_delivery import WebhookDeliveryService
from ompay.services.merchants.webhook_endpoints import WebhookEndpointService

MANAGE = [requires_scope(Scope.WEBHOOKS_MANAGE)]
ERRORS = problem_responses(401, 403, 404)


class WebhookEndpointController(MerchantApiController):
    path = "/webhook-endpoints"
    tags = ["Merchant webhooks"]
    guards = MANAGE

    @post("/", summary="Add an endpoint (its signing secret is shown once)", responses=ERRORS)
    async def create(
        self,
        data: JSONBody[WebhookEndpointCreate],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> WebhookEndpointWithSecret:
        endpoint, secret = await webhook_endpoint_service.create(
            merchant_caller.merchant_id, data.url, data.events, data.description
        )
        return WebhookEndpointWithSecret(WebhookEndpointResource.of(endpoint), secret)

    @get("/", summary="My live endpoints", responses=ERRORS)
    async def index(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> WebhookEndpointList:
        endpoints = await webhook_endpoint_service.live(merchant_caller.merchant_id)
        return WebhookEndpointList([WebhookEndpointResource.of(endpoint) for endpoint in endpoints])

    @get("/{endpoint_id:uuid}", summary="One endpoint", responses=ERRORS)
    async def show(
        self,
        endpoint_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> WebhookEndpointResource:
        return WebhookEndpointResource.of(
            await webhook_endpoint_service.get(merchant_caller.merchant_id, endpoint_id)
        )

    @patch("/{endpoint_id:uuid}", summary="Change the URL, the events or the description", responses=ERRORS)
    async def update(
        self,
        endpoint_id: FromPath[UUID],
        data: JSONBody[WebhookEndpointUpdate],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> WebhookEndpointResource:
        endpoint = await webhook_endpoint_service.update(
            merchant_caller.merchant_id, endpoint_id, data.url, data.events, data.description
        )
        return WebhookEndpointResource.of(endpoint)

    @delete("/{endpoint_id:uuid}", summary="Stop sending to an endpoint", responses=ERRORS)
    async def disable(
        self,
        endpoint_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> None:
        await webhook_endpoint_service.disable(merchant_caller.merchant_id, endpoint_id)

    @post(
        "/{endpoint_id:uuid}/rotate-secret",
        status_code=200,
        summary="New signing secret; the old one keeps signing alongside for 24 h",
        responses=ERRORS,
    )
    async def rotate_secret(
        self,
        endpoint_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_endpoint_service: NamedDependency[WebhookEndpointService],
    ) -> WebhookEndpointWithSecret:
        endpoint, secret = await webhook_endpoint_service.rotate_secret(
            merchant_caller.merchant_id, endpoint_id
        )
        return WebhookEndpointWithSecret(WebhookEndpointResource.of(endpoint), secret)

    @post("/{endpoint_id:uuid}/test", status_code=200, summary="Send a signed ping now", responses=ERRORS)
    async def test(
        self,
        endpoint_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_delivery_service: NamedDependency[WebhookDeliveryService],
    ) -> PingResult:
        result = await webhook_delivery_service.ping(merchant_caller.merchant_id, endpoint_id)
        return PingResult(result.succeeded, result.response_status, result.error, result.duration_ms)


class EventController(MerchantApiController):
    path = "/events"
    tags = ["Merchant webhooks"]

    @get(
        "/",
        summary="My events, newest first (cursor pages)",
        guards=[requires_scope(Scope.PAYMENTS_READ)],
        responses=ERRORS,
    )
    async def index(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_delivery_service: NamedDependency[WebhookDeliveryService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        type: Annotated[str | None, text_query(60)] = None,
    ) -> CursorPage[EventResource]:
        rows = await webhook_delivery_service.events_page(
            merchant_caller.merchant_id, limit, starting_after, type
        )
        return CursorPage.of(rows, limit, EventResource.of)

    @post(
        "/{event_id:uuid}/redeliver",
        status_code=202,
        summary="Send an event again to its endpoints",
        guards=MANAGE,
        responses=ERRORS,
    )
    async def redeliver(
        self,
        event_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_delivery_service: NamedDependency[WebhookDeliveryService],
    ) -> Redelivery:
        return Redelivery(await webhook_delivery_service.redeliver(merchant_caller.merchant_id, event_id))


class WebhookDeliveryController(MerchantApiController):
    path = "/webhook-deliveries"
    tags = ["Merchant webhooks"]
    guards = MANAGE

    @get("/", summary="Every delivery attempt, newest first (cursor pages)", responses=ERRORS)
    async def index(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        webhook_delivery_service: NamedDependency[WebhookDeliveryService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        event_id: Annotated[UUID | None, QueryParameter()] = None,
        endpoint_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> CursorPage[DeliveryResource]:
        rows = await webhook_delivery_service.deliveries_page(
            merchant_caller.merchant_id, limit, starting_after, event_id, endpoint_id
        )
        return CursorPage.of(rows, limit, DeliveryResource.of)
