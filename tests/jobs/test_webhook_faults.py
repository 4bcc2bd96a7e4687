"""Webhook series survive a lost queue: every send is logged with its true attempt number, a
sweep over `next_attempt_at` (in the database) resumes a series whose job Redis lost, and
duplicate jobs of one attempt send once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from httpx import AsyncClient

from ompay.services.merchants.webhook_delivery import DELIVER_JOB
from tests import support
from tests.jobs.test_webhooks import _deliveries, _endpoint, _paid_request
from tests.merchant_support import merchant_with_key


async def _until_due() -> None:
    """Wait for the logged retry time of the last failed attempt."""
    wait = await support.query_value(
        "SELECT GREATEST(0, EXTRACT(EPOCH FROM max(next_attempt_at) - now())) FROM webhook_deliveries"
    )
    await asyncio.sleep(float(wait) + 0.1)


def _sent(receiver: support.FakeHttpReceiver) -> list[tuple[str, str]]:
    """(event id, attempt header) of every call the receiver got."""
    return [
        (json.loads(body)["id"], headers["OMPAY-Delivery-Attempt"]) for headers, body in receiver.requests
    ]


async def _failed_once(client: AsyncClient, receiver: support.FakeHttpReceiver) -> dict[str, str]:
    _, headers, _ = await merchant_with_key(client)
    await _endpoint(client, headers, receiver.url)
    await _paid_request(client, headers)
    await support.run_worker_burst("webhooks")
    assert [(row["attempt"], row["outcome"]) for row in await _deliveries(client, headers)] == [(1, "failed")]
    return headers


def _log(rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(row["attempt"], row["outcome"]) for row in rows]


async def test_redis_lost_between_two_attempts_the_sweep_resumes_the_series(client: AsyncClient) -> None:
    receiver = support.FakeHttpReceiver(failures=1)
    try:
        with support.settings_env(WEBHOOK_RETRY_BASE_SECONDS="1"):
            headers = await _failed_once(client, receiver)
            await support.flush_redis()  # the scheduled second attempt is gone with it
            await _until_due()
            await support.run_worker_burst("webhooks")
            assert len(receiver.requests) == 1
            await support.enqueue_and_run("webhooks", "resume_stalled_webhooks")
    finally:
        receiver.close()
    assert _log(await _deliveries(client, headers)) == [(1, "failed"), (2, "succeeded")]
    (event_id, _), _ = _sent(receiver)
    assert _sent(receiver) == [(event_id, "1"), (event_id, "2")]


async def test_the_sweep_does_not_double_an_attempt_still_waiting_in_the_queue(client: AsyncClient) -> None:
    receiver = support.FakeHttpReceiver(failures=1)
    try:
        with support.settings_env(WEBHOOK_RETRY_BASE_SECONDS="1"):
            headers = await _failed_once(client, receiver)
            await _until_due()
            await support.enqueue_and_run("webhooks", "resume_stalled_webhooks")
            await support.enqueue_and_run("webhooks", "resume_stalled_webhooks")
    finally:
        receiver.close()
    assert _log(await _deliveries(client, headers)) == [(1, "failed"), (2, "succeeded")]
    assert len(receiver.requests) == 2


async def test_duplicate_jobs_of_one_attempt_send_it_once(client: AsyncClient) -> None:
    receiver = support.FakeHttpReceiver()
    try:
        _, headers, _ = await merchant_with_key(client)
        endpoint = await _endpoint(client, headers, receiver.url)
        await _paid_request(client, headers)
        await support.run_worker_burst("webhooks")
        event = (await client.get("/api/v1/merchant/events", headers=headers)).json()["data"][0]
        since = await support.query_value(
            "SELECT extract(epoch FROM created_at)::float8 FROM merchant_events"
        )
        for key in ("again-1", "again-2"):
            await support.queues()["webhooks"].enqueue(
                DELIVER_JOB,
                key=key,
                event_id=event["id"],
                endpoint_id=endpoint["endpoint"]["id"],
                attempt=1,
                since=since,
            )
        await support.run_worker_burst("webhooks")
    finally:
        receiver.close()
    assert _log(await _deliveries(client, headers)) == [(1, "succeeded")]
    assert len(receiver.requests) == 1
