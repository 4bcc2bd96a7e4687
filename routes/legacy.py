"""The Laravel-era routes (LEGACY_API.md), answering in the legacy envelope."""

from __future__ import annotations

from litestar import Router

from ompay.http.exceptions import legacy_envelope_handler


def legacy_router() -> Router:
    return Router(
        path="/api",
        route_handlers=[],
        exception_handlers={Exception: legacy_envelope_handler},
    )
