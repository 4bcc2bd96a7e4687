"""Outgoing webhook calls: one signed POST, timed, never following redirects, SSRF-guarded in production."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ompay.domain.errors import invalid_field
from ompay.domain.webhooks import is_forbidden_address


@dataclass(frozen=True, slots=True)
class CallResult:
    response_status: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300


async def ensure_public_target(url: str) -> None:
    """Refuse a URL whose host resolves to a private, loopback or otherwise internal address."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolved = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port)
    except OSError:
        raise invalid_field("url", "Hôte introuvable.", "Unknown host.") from None
    if any(is_forbidden_address(str(info[4][0])) for info in resolved):
        raise invalid_field("url", "Adresse interne refusée.", "Internal addresses are refused.")


async def post_signed(url: str, body: bytes, headers: dict[str, str], limit_seconds: float) -> CallResult:
    """POST once; any answer or failure becomes a result (the caller decides about retries)."""
    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(timeout=limit_seconds, follow_redirects=False) as client:
            response = await client.post(url, content=body, headers=headers)
        status, error = response.status_code, None if response.is_success else f"HTTP {response.status_code}"
    except httpx.TimeoutException:
        status, error = None, "timeout"
    except httpx.HTTPError as exc:
        status, error = None, type(exc).__name__
    return CallResult(status, error, int((time.perf_counter() - started) * 1000))
