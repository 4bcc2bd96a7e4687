"""Probes, metrics and docs: outside /api, excluded from auth and rate limits."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from ompay.http.controllers.docs import docs_assets_router, docs_redirect
from ompay.http.controllers.health import HealthController


def system_routes() -> list[ControllerRouterHandler]:
    return [HealthController, docs_redirect, docs_assets_router()]
