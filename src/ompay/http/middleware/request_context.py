"""The outermost middleware: request id, log context, access log and latency metric.

It wraps Litestar's whole ASGI handler (not one route), so framework 404/405 responses
get an `X-Request-Id` and an access-log line too. Bodies and query strings are never logged.
"""

from __future__ import annotations

import re
import time
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from uuid_utils import uuid7

from config.logging import get_logger
from ompay.lib.metrics import HTTP_REQUEST_DURATION

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_QUIET_PATHS = frozenset({"/health/live", "/health/ready", "/health", "/metrics"})

access_logger = get_logger("ompay.access")


def request_id_of(scope: Scope | dict[str, Any]) -> str | None:
    request_id: str | None = scope.get("state", {}).get("request_id")
    return request_id


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            return candidate if _VALID_REQUEST_ID.match(candidate) else None
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or str(uuid7())
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            structlog.contextvars.clear_contextvars()

    @staticmethod
    def _record(scope: HTTPScope, status: int, elapsed: float) -> None:
        route = scope.get("path_template") or "unmatched"
        HTTP_REQUEST_DURATION.labels(method=scope["method"], route=route, status=str(status)).observe(elapsed)
        if scope["path"] in _QUIET_PATHS and status < 500:
            return
        client = scope.get("client")
        access_logger.info(
            "request",
            method=scope["method"],
            path=scope["path"],
            route=route,
            status=status,
            duration_ms=round(elapsed * 1000, 2),
            client_ip=client[0] if client else None,
        )
