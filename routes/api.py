"""/api/v1: the current API. Errors are RFC 9457 problem details."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from config.settings import Settings
from ompay.http.back_office import STAFF
from ompay.http.controllers.v1.auth import AuthController
from ompay.http.controllers.v1.exports import AdminExportController
from ompay.http.controllers.v1.guardianships import MeGuardianshipController
from ompay.http.controllers.v1.kyc import AdminKycReviewController, MeKycController
from ompay.http.controllers.v1.kyc_limits import AdminKycLimitController
from ompay.http.controllers.v1.me import MeController
from ompay.http.controllers.v1.merchant_api import (
    BalanceController,
    PaymentRequestController,
    RefundController,
)
from ompay.http.controllers.v1.merchant_reports import SettlementReportController
from ompay.http.controllers.v1.merchant_webhooks import (
    EventController,
    WebhookDeliveryController,
    WebhookEndpointController,
)
from ompay.http.controllers.v1.merchants import AdminMerchantController, ApiKeyController
from ompay.http.controllers.v1.money import (
    AdminLedgerController,
    AgentController,
    CashOutController,
    TransferController,
)
from ompay.http.controllers.v1.monitoring import AdminCaseController, AdminMonitoringController
from ompay.http.controllers.v1.payments import CustomerPaymentRequestController, PaymentController
from ompay.http.controllers.v1.sandbox import SandboxController
from ompay.http.controllers.v1.screening import AdminFreezeController, AdminScreeningController
from ompay.http.controllers.v1.users import AdminUserController
from ompay.http.controllers.v1.wallet import WalletController
from ompay.http.exceptions import V1_PREFIX, problem_details_handler
from ompay.http.rate_limits import RateLimits
from ompay.http.validation import strict_json_body


def api_v1_router(settings: Settings, limits: RateLimits) -> Router:
    routes: list[ControllerRouterHandler] = [
        Router(
            "/auth",
            route_handlers=[AuthController],
            middleware=[limits.sign_in],
        ),
        Router("/me", route_handlers=[MeController, MeKycController, MeGuardianshipController]),
        Router("/wallet", route_handlers=[WalletController]),
        Router("/", route_handlers=[TransferController]),
        Router("/agent", route_handlers=[AgentController]),
        Router("/cash-outs", route_handlers=[CashOutController]),
        Router(
            "/admin",
            route_handlers=[
                AdminLedgerController,
                AdminMerchantController,
                AdminKycLimitController,
                AdminKycReviewController,
                AdminScreeningController,
                AdminFreezeController,
                AdminMonitoringController,
                AdminCaseController,
                AdminExportController,
                AdminUserController,
            ],
            guards=[STAFF],
        ),
        Router(
            "/merchant",
            route_handlers=[
                ApiKeyController,
                PaymentRequestController,
                RefundController,
                BalanceController,
                WebhookEndpointController,
                EventController,
                WebhookDeliveryController,
                SettlementReportController,
            ],
        ),
        Router("/", route_handlers=[CustomerPaymentRequestController, PaymentController]),
    ]
    if settings.app.has_sandbox:
        routes.append(Router("/sandbox", route_handlers=[SandboxController]))
    return Router(
        path=V1_PREFIX,
        route_handlers=routes,
        exception_handlers={Exception: problem_details_handler},
        before_request=strict_json_body,
    )
