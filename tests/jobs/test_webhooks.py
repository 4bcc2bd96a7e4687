"""Webhooks against a real local HTTP receiver, delivered by a real SAQ worker."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import AsyncClient

from tests import support
from tests.identity import bearer
from tests.merchant_support import PIN, funded_customer, merchant_with_key


@pytest.fixture
def receiver() -> Iterator[support.FakeHttpReceiver]:
    server = support.FakeHttpReceiver()
    yield server
    server.close()


def verified_with(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The documented scheme: `t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<raw body>")>` (any v1 may match)."""
    parts = [part.split("=", 1) for part in headers["OMPAY-Signature"].split(",")]
    timestamp = next(value for name, value in parts if name == "t")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(name == "v1" and hmac.compare_digest(value, expected) for name, value in parts)


async def _endpoint(client: AsyncClient, headers: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    created = await client.post(
        "/api/v1/merchant/webhook-endpoints", json={"url": url, **body}, headers=headers
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _paid_request(client: AsyncClient, headers: dict[str, str]) -> str:
    _, tokens = await funded_customer(client, 20_000)
    created = await client.post("/api/v1/merchant/payment-requests", json={"amount": 5000}, headers=headers)
    paid = await client.post(
        "/api/v1/payments",
        json={"payment_code": created.json()["payment_code"], "pin": PIN},
        headers=bearer(tokens),
    )
    assert paid.status_code == 201, paid.text
    return str(paid.json()["id"])


async def _deliveries(client: AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    page = await client.get("/api/v1/merchant/webhook-deliveries", headers=headers)
    return list(reversed(page.json()["data"]))


async def test_a_payment_event_arrives_signed_with_a_full_snapshot(
    client: AsyncClient, receiver: support.FakeHttpReceiver
) -> None:
    _, headers, _ = await merchant_with_key(client)
    endpoint = await _endpoint(client, headers, receiver.url)
    request_id = await _paid_request(client, headers)
    await support.run_worker_burst("webhooks")
    assert len(receiver.requests) == 1
    received_headers, body = receiver.requests[0]
    assert verified_with(endpoint["secret"], received_headers, body)
    assert not verified_with("whsec_wrong", received_headers, body)
    event = json.loads(body)
    assert (event["type"], event["object_id"], event["sequence"]) == (
        "payment_request.succeeded",
        request_id,
        2,
    )
    assert event["data"]["status"] == "succeeded"
    assert received_headers["OMPAY-Event-Id"] == event["id"]
    feed = (await client.get("/api/v1/merchant/events", headers=headers)).json()
    assert [item["id"] for item in feed["data"]] == [event["id"]]
    assert feed["data"][0]["data"] == event["data"]


async def test_a_receiver_that_fails_three_times_gets_the_event_once_more_after_recovery(
    client: AsyncClient,
) -> None:
    receiver = support.FakeHttpReceiver(failures=3)
    try:
        with support.settings_env(WEBHOOK_RETRY_BASE_SECONDS="0"):
            _, headers, _ = await merchant_with_key(client)
            await _endpoint(client, headers, receiver.url)
            await _paid_request(client, headers)
            await support.run_worker_burst("webhooks")
            await support.run_worker_burst("webhooks")
    finally:
        receiver.close()
    assert len(receiver.requests) == 4
    assert len({json.loads(body)["id"] for _, body in receiver.requests}) == 1
    log = await _deliveries(client, headers)
    assert [(row["attempt"], row["outcome"]) for row in log] == [
        (1, "failed"),
        (2, "failed"),
        (3, "failed"),
        (4, "succeeded"),
    ]
    assert log[0]["response_status"] == 503


async def test_a_dead_lettered_event_can_be_redelivered(client: AsyncClient) -> None:
    receiver = support.FakeHttpReceiver(failures=1)
    try:
        with support.settings_env(WEBHOOK_RETRY_WINDOW_SECONDS="0"):
            _, headers, _ = await merchant_with_key(client)
            await _endpoint(client, headers, receiver.url)
            await _paid_request(client, headers)
            await support.run_worker_burst("webhooks")
            assert [row["outcome"] for row in await _deliveries(client, headers)] == ["dead"]
            event_id = (await client.get("/api/v1/merchant/events", headers=headers)).json()["data"][0]["id"]
            queued = await client.post(f"/api/v1/merchant/events/{event_id}/redeliver", headers=headers)
            assert (queued.status_code, queued.json()) == (202, {"queued": 1})
            await support.run_worker_burst("webhooks")
    finally:
        receiver.close()
    assert [row["outcome"] for row in await _deliveries(client, headers)] == ["dead", "succeeded"]
    assert len(receiver.requests) == 2


async def test_after_rotation_both_secrets_sign_during_the_overlap(
    client: AsyncClient, receiver: support.FakeHttpReceiver
) -> None:
    _, headers, _ = await merchant_with_key(client)
    endpoint = await _endpoint(client, headers, receiver.url)
    old_secret = endpoint["secret"]
    rotated = await client.post(
        f"/api/v1/merchant/webhook-endpoints/{endpoint['endpoint']['id']}/rotate-secret", headers=headers
    )
    new_secret = rotated.json()["secret"]
    assert new_secret != old_secret
    assert rotated.json()["endpoint"]["previous_secret_expires_at"] is not None
    await _paid_request(client, headers)
    await support.run_worker_burst("webhooks")
    received_headers, body = receiver.requests[0]
    assert received_headers["OMPAY-Signature"].count("v1=") == 2
    assert verified_with(new_secret, received_headers, body)
    assert verified_with(old_secret, received_headers, body)


async def test_an_endpoint_only_gets_the_events_it_asked_for(
    client: AsyncClient, receiver: support.FakeHttpReceiver
) -> None:
    _, headers, _ = await merchant_with_key(client)
    await _endpoint(client, headers, receiver.url, events=["refund.succeeded"])
    await _paid_request(client, headers)
    await support.run_worker_burst("webhooks")
    assert receiver.requests == []
    unknown = await client.post(
        "/api/v1/merchant/webhook-endpoints", json={"url": receiver.url, "events": ["nope"]}, headers=headers
    )
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "events")


async def test_ping_and_endpoint_management(client: AsyncClient, receiver: support.FakeHttpReceiver) -> None:
    _, headers, _ = await merchant_with_key(client)
    endpoint = await _endpoint(client, headers, receiver.url, description="boutique")
    path = f"/api/v1/merchant/webhook-endpoints/{endpoint['endpoint']['id']}"
    ping = await client.post(f"{path}/test", headers=headers)
    assert ping.json()["delivered"] is True
    assert verified_with(endpoint["secret"], *receiver.requests[0])
    assert json.loads(receiver.requests[0][1])["type"] == "ping"
    changed = await client.patch(path, json={"events": ["payment_request.expired"]}, headers=headers)
    assert changed.json()["events"] == ["payment_request.expired"]
    bad = await client.patch(path, json={"url": "ftp://example.sn/x"}, headers=headers)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "url")
    assert (await client.delete(path, headers=headers)).status_code == 204
    assert (await client.get(path, headers=headers)).status_code == 404
    assert (await client.get("/api/v1/merchant/webhook-endpoints", headers=headers)).json()["data"] == []


async def test_webhooks_stay_with_their_merchant(
    client: AsyncClient, receiver: support.FakeHttpReceiver
) -> None:
    _, headers, _ = await merchant_with_key(client)
    endpoint = await _endpoint(client, headers, receiver.url)
    await _paid_request(client, headers)
    event_id = (await client.get("/api/v1/merchant/events", headers=headers)).json()["data"][0]["id"]
    _, other, _ = await merchant_with_key(client, trade_name="Chez Awa")
    assert (
        await client.get(f"/api/v1/merchant/webhook-endpoints/{endpoint['endpoint']['id']}", headers=other)
    ).status_code == 404
    assert (
        await client.post(f"/api/v1/merchant/events/{event_id}/redeliver", headers=other)
    ).status_code == 404
    assert (await client.get("/api/v1/merchant/events", headers=other)).json()["data"] == []
    _, no_scope, _ = await merchant_with_key(client, scopes=["payments:read"], trade_name="Chez Binta")
    denied = await client.get("/api/v1/merchant/webhook-endpoints", headers=no_scope)
    assert denied.status_code == 403
