"""SMS leave through the outbox and the configured driver; the HTTP gateway is retried."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import configure_logging
from config.settings import LogSettings
from jobs.registry import deliver_with
from ompay.integrations.sms import LogSmsDriver, SmsGatewayError
from tests import support

PHONE = "+221771234567"
TEXT = 'OMPAY : votre code est 482913. "Ne le partagez pas".'
LEASE = timedelta(seconds=30)


@pytest.fixture
def gateway() -> Iterator[support.FakeHttpReceiver]:
    """A local SMS gateway that fails twice, with the http driver pointed at it."""
    receiver = support.FakeHttpReceiver(failures=2)
    env = {"SMS_DRIVER": "http", "SMS_HTTP_URL": receiver.url, "SMS_HTTP_AUTH_HEADER": "X-Api-Key: k-123"}
    with support.settings_env(**env):
        yield receiver
    receiver.close()


async def _queue_sms(session: AsyncSession) -> UUID:
    async with support.services_over(session) as services:
        services.notification_service.queue_sms(PHONE, TEXT)
        await services.uow.commit()
    return (await session.execute(text("SELECT id FROM outbox"))).scalar_one()


async def test_a_failing_gateway_is_retried_until_it_accepts(
    session: AsyncSession, gateway: support.FakeHttpReceiver
) -> None:
    message_id = await _queue_sms(session)
    async with support.services_over(session) as services:
        for _ in range(2):
            with pytest.raises(SmsGatewayError):
                await deliver_with(services, message_id, LEASE)
        assert await deliver_with(services, message_id, LEASE) == "processed"
    headers, body = gateway.requests[-1]
    assert len(gateway.requests) == 3
    assert headers["X-Api-Key"] == "k-123"
    assert {request_headers["Idempotency-Key"] for request_headers, _ in gateway.requests} == {
        str(message_id)
    }
    assert json.loads(body) == {"to": PHONE, "from": "OMPAY", "text": TEXT}


async def test_the_sealed_text_never_sits_in_the_outbox_in_clear(session: AsyncSession) -> None:
    await _queue_sms(session)
    payload = await session.scalar(text("SELECT payload::text FROM outbox"))
    assert "482913" not in payload


async def test_the_log_driver_never_logs_the_message() -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(level="INFO", format="json"), stream=stream)
    try:
        await LogSmsDriver().send(PHONE, TEXT, message_id="m-1")
    finally:
        configure_logging(LogSettings(level="WARNING"))
    assert "482913" not in stream.getvalue()
    assert PHONE not in stream.getvalue()
    assert '"length"' in stream.getvalue()
