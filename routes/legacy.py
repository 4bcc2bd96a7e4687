"""The Laravel-era routes (LEGACY_API.md), answering in the legacy envelope."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from config.http import LEGACY_TAG
from config.settings import Settings
from ompay.http.auth import BEARER_SECURITY
from ompay.http.controllers.legacy.auth import LegacyAuthController, LegacySessionController
from ompay.http.controllers.legacy.payments import LegacyPaymentController
from ompay.http.controllers.legacy.wallet import (
    LegacyDashboardController,
    LegacySelfServiceCashController,
    LegacyWalletController,
)
from ompay.http.exceptions import legacy_envelope_handler
from ompay.http.rate_limits import RateLimits
from ompay.schemas.legacy_amounts import LEGACY_TYPE_DECODERS


def legacy_router(settings: Settings, limits: RateLimits) -> Router:
    customer_routes: list[ControllerRouterHandler] = [
        LegacySessionController,
        LegacyWalletController,
        LegacyDashboardController,
        LegacyPaymentController,
    ]
    if settings.app.has_sandbox:
        customer_routes.append(LegacySelfServiceCashController)
    return Router(
        path="/api",
        route_handlers=[
            Router(
                "/",
                route_handlers=[LegacyAuthController],
                middleware=[limits.sign_in],
            ),
            Router(
                "/",
                route_handlers=customer_routes,
                middleware=[limits.per_user],
                security=BEARER_SECURITY,
            ),
        ],
        exception_handlers={Exception: legacy_envelope_handler},
        type_decoders=LEGACY_TYPE_DECODERS,
        tags=[LEGACY_TAG],
    )
