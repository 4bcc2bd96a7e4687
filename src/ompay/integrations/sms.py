"""SMS drivers: `log` (local), `sandbox` (kept for the sandbox API), `http` (a generic gateway)."""

from __future__ import annotations

import json
from typing import Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import get_logger
from config.settings import SmsSettings
from ompay.lib.masking import mask_tail
from ompay.models import SandboxSms

logger = get_logger(__name__)
IDEMPOTENCY_HEADER = "Idempotency-Key"


class SmsGatewayError(RuntimeError):
    """The gateway refused or did not answer; the delivery job retries with backoff."""


class SmsDriver(Protocol):
    async def send(self, phone: str, message: str, message_id: str) -> None:
        """`message_id` is the same on every retry of one message, so a gateway can drop duplicates."""
        ...


class LogSmsDriver:
    """Logs that a message went out (never its content: it may hold a code)."""

    async def send(self, phone: str, message: str, message_id: str) -> None:
        await logger.ainfo(
            "sms (log driver)", phone=mask_tail(phone), length=len(message), message_id=message_id
        )


class SandboxSmsDriver:
    """Stores the message, in the delivery's transaction, for `GET /api/v1/sandbox/sms`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def send(self, phone: str, message: str, message_id: str) -> None:
        self.session.add(SandboxSms(phone=phone, body=message))


class HttpSmsDriver:
    """POSTs a JSON body built from a template to an HTTP SMS gateway."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def _body(self, phone: str, message: str) -> bytes:
        values = {"to": phone, "sender": self.settings.sender, "message": message}
        body = self.settings.http_template
        for name, value in values.items():
            body = body.replace("{" + name + "}", json.dumps(value)[1:-1])
        return body.encode()

    def _headers(self, message_id: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: message_id}
        name, _, value = self.settings.http_auth_header.partition(":")
        if name and value:
            headers[name.strip()] = value.strip()
        return headers

    async def send(self, phone: str, message: str, message_id: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.settings.http_timeout) as client:
                response = await client.post(
                    self.settings.http_url,
                    content=self._body(phone, message),
                    headers=self._headers(message_id),
                )
        except httpx.HTTPError as exc:
            raise SmsGatewayError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SmsGatewayError(f"gateway answered {response.status_code}")


def sms_driver(settings: SmsSettings, session: AsyncSession) -> SmsDriver:
    if settings.driver == "http":
        return HttpSmsDriver(settings)
    if settings.driver == "sandbox":
        return SandboxSmsDriver(session)
    return LogSmsDriver()
