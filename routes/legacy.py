"""The Laravel-era routes (LEGACY_API.md), answering in the legacy envelope."""

from __future__ import annotations

from litestar import Router

from config.http import build_auth_rate_limit_config, build_user_rate_limit_config
from config.settings import Settings
from ompay.http.controllers.legacy.auth import LegacyAuthController, LegacySessionController
from ompay.http.controllers.legacy.wallet import LegacyDashboardController, LegacyWalletController
from ompay.http.exceptions import legacy_envelope_handler


def legacy_router(settings: Settings) -> Router:
    return Router(
        path="/api",
        route_handlers=[
            Router(
                "/",
                route_handlers=[LegacyAuthController],
                middleware=[build_auth_rate_limit_config(settings).middleware],
            ),
            Router(
                "/",
                route_handlers=[LegacySessionController, LegacyWalletController, LegacyDashboardController],
                middleware=[build_user_rate_limit_config(settings).middleware],
            ),
        ],
        exception_handlers={Exception: legacy_envelope_handler},
    )
