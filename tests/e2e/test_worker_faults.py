"""A worker process killed (SIGKILL) in the middle of a webhook delivery or an SMS: nothing is
lost, the re-send carries the same event (or message) id, and the webhook log shows every
send with its true attempt number."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.registry import deliver_with
from tests import support
from tests.e2e.conftest import OMPAY, running
from tests.jobs.test_webhooks import _deliveries, _endpoint, _paid_request
from tests.merchant_support import merchant_with_key

pytestmark = pytest.mark.e2e


def _wait_until(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker"
        time.sleep(0.1)


@contextmanager
def killed_mid_call(receiver: support.FakeHttpReceiver, **env: str) -> Iterator[None]:
    """Start `ompay workers run`; once its first call reaches `receiver`, SIGKILL it."""
    with running([OMPAY, "workers", "run"], env) as worker:
        _wait_until(lambda: len(receiver.requests) == 1)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    receiver.release()
    yield


async def test_a_worker_killed_mid_webhook_leaves_a_logged_attempt_and_the_series_goes_on(
    client: AsyncClient,
) -> None:
    receiver = support.FakeHttpReceiver(hang=1)
    try:
        _, headers, _ = await merchant_with_key(client)
        await _endpoint(client, headers, receiver.url)
        await _paid_request(client, headers)
        with killed_mid_call(receiver, WEBHOOK_TIMEOUT="1"):
            log = await _deliveries(client, headers)
            assert [(row["attempt"], row["outcome"]) for row in log] == [(1, "sending")]
            lease_left = await support.query_value(
                "SELECT EXTRACT(EPOCH FROM next_attempt_at - now()) FROM webhook_deliveries"
            )
            await asyncio.sleep(max(0.0, float(lease_left)) + 0.2)
            with support.settings_env(WEBHOOK_TIMEOUT="1"):
                await support.enqueue_and_run("webhooks", "resume_stalled_webhooks")
    finally:
        receiver.close()
    log = await _deliveries(client, headers)
    assert [(row["attempt"], row["outcome"]) for row in log] == [(1, "failed"), (2, "succeeded")]
    assert log[0]["error"].startswith("interrupted")
    sent = [(json.loads(body)["id"], sent["OMPAY-Delivery-Attempt"]) for sent, body in receiver.requests]
    event_id = sent[0][0]
    assert sent == [(event_id, "1"), (event_id, "2")]


async def test_a_worker_killed_mid_sms_leaves_the_message_to_a_retry_with_the_same_id(
    session: AsyncSession,
) -> None:
    gateway = support.FakeHttpReceiver(hang=1)
    env = {"SMS_DRIVER": "http", "SMS_HTTP_URL": gateway.url}
    try:
        with support.settings_env(**env):
            async with support.services_over(session) as services:
                services.notification_service.queue_sms("+221771234567", "OMPAY : bonjour")
                await services.uow.commit()
            with killed_mid_call(gateway, **env):
                message_id = await support.query_value("SELECT id FROM outbox WHERE processed_at IS NULL")
                # the lease of the killed delivery runs out (twice the job timeout in production)
                await support.execute_sql("UPDATE outbox SET locked_until = now()")
                async with support.services_over(session) as services:
                    assert await deliver_with(services, message_id, timedelta(seconds=30)) == "processed"
    finally:
        gateway.close()
    assert await support.query_value("SELECT count(*) FROM outbox WHERE processed_at IS NULL") == 0
    assert [sent["Idempotency-Key"] for sent, _ in gateway.requests] == [str(message_id)] * 2
