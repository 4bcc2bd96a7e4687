"""SMS leave through the outbox and the configured driver; the HTTP gateway is retried."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import configure_logging
from config.settings import LogSettings, get_settings
from jobs.registry import handler_for
from ompay.integrations.sms import LogSmsDriver, SmsGatewayError
from ompay.lib.crypto import Keys, Sealer
from ompay.lib.queue import JobDispatcher
from ompay.services.notifications import NotificationService
from ompay.services.outbox import OutboxService
from ompay.services.unit_of_work import UnitOfWork
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


async def _queue_sms(session: AsyncSession) -> object:
    settings = get_settings()
    uow = UnitOfWork(session, JobDispatcher(support.queues()), settings.queue)
    NotificationService(uow, Sealer(Keys.derive(settings.app.secret_key).sealing), settings.sms).queue_sms(
        PHONE, TEXT
    )
    await uow.commit()
    return (await session.execute(text("SELECT id FROM outbox"))).scalar_one()


async def test_a_failing_gateway_is_retried_until_it_accepts(
    session: AsyncSession, gateway: support.FakeHttpReceiver
) -> None:
    message_id = await _queue_sms(session)
    outbox = OutboxService(session, JobDispatcher(support.queues()), get_settings().queue)
    for _ in range(2):
        with pytest.raises(SmsGatewayError):
            await outbox.deliver(message_id, handler_for, LEASE)  # type: ignore[arg-type]
    assert await outbox.deliver(message_id, handler_for, LEASE) == "processed"  # type: ignore[arg-type]
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
