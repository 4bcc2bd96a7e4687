"""Dependency providers: what controllers may ask for by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.types import Scope
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import Settings, get_settings
from ompay.http.idempotency import provide_idempotency
from ompay.http.middleware.request_context import request_id_of
from ompay.lib.queue import JobDispatcher
from ompay.services.api_keys import ApiKeyService
from ompay.services.audit import RequestContext
from ompay.services.auth import AuthService
from ompay.services.cash_out import CashOutService
from ompay.services.health import HealthService
from ompay.services.ledger_admin import LedgerAdminService
from ompay.services.limits import amount_bounds
from ompay.services.merchants import MerchantService
from ompay.services.money import MoneyService
from ompay.services.money_kit import MoneyKit
from ompay.services.notifications import NotificationService
from ompay.services.payments import PaymentService
from ompay.services.pin import PinService
from ompay.services.quotes import QuoteService
from ompay.services.refunds import RefundService
from ompay.services.registration import RegistrationService
from ompay.services.sandbox import SandboxService
from ompay.services.security import Security
from ompay.services.sessions import ClientInfo, SessionService
from ompay.services.unit_of_work import UnitOfWork
from ompay.services.users import UserService
from ompay.services.wallet import WalletService
from ompay.services.webhook_delivery import WebhookDeliveryService
from ompay.services.webhook_endpoints import WebhookEndpointService


def provide_settings() -> Settings:
    return get_settings()


def provide_redis(state: State) -> Redis:
    redis: Redis = state.redis
    return redis


def provide_dispatcher(state: State) -> JobDispatcher:
    dispatcher: JobDispatcher = state.dispatcher
    return dispatcher


def provide_security(state: State) -> Security:
    security: Security = state.security
    return security


def provide_request_context(scope: Scope) -> RequestContext:
    client = scope.get("client")
    return RequestContext(request_id=request_id_of(scope), ip_address=client[0] if client else None)


def provide_client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    return ClientInfo(
        user_agent=request.headers.get("user-agent"),
        ip_address=request.client.host if request.client else None,
    )


def provide_sandbox_service(db_session: NamedDependency[AsyncSession]) -> SandboxService:
    return SandboxService(db_session)


def provide_unit_of_work(state: State, scope: Scope) -> UnitOfWork:
    """The request's unit of work, built from app state directly.

    Providers here take app state rather than sibling dependencies: Litestar resolves each
    level of several dependencies in an anyio task group, about 10 % of a read's CPU.
    """
    session = state.alchemy.provide_session(state, scope)
    return UnitOfWork(session, state.dispatcher, get_settings().queue, provide_request_context(scope))


def provide_health_service(state: State, scope: Scope) -> HealthService:
    session = state.alchemy.provide_session(state, scope)
    return HealthService(session, state.redis, state.dispatcher, get_settings().health)


def _identity_service(service: Callable[[UnitOfWork, Security], Any]) -> Provide:
    """Provide a service built from the request's unit of work and the shared security kit."""

    def provide(uow: NamedDependency[UnitOfWork], state: State) -> Any:
        return service(uow, state.security)

    return Provide(provide, sync_to_thread=False)


def provide_money_kit(uow: NamedDependency[UnitOfWork], state: State) -> MoneyKit:
    return MoneyKit.build(uow, state.security)


def provide_money_service(money_kit: NamedDependency[MoneyKit]) -> MoneyService:
    return MoneyService.build(money_kit)


def provide_wallet_service(uow: NamedDependency[UnitOfWork], state: State) -> WalletService:
    return WalletService(uow, state.hot_reads)


def provide_cash_out_service(money_kit: NamedDependency[MoneyKit], state: State) -> CashOutService:
    settings = get_settings()
    notifications = NotificationService(money_kit.uow, state.security.sealer, settings.sms)
    return CashOutService(money_kit, notifications, settings.ledger.cash_out_ttl)


def provide_quote_service(uow: NamedDependency[UnitOfWork]) -> QuoteService:
    ledger = get_settings().ledger
    return QuoteService(uow, amount_bounds(ledger), ledger.quote_ttl)


def provide_ledger_admin_service(uow: NamedDependency[UnitOfWork]) -> LedgerAdminService:
    return LedgerAdminService(uow, amount_bounds(get_settings().ledger))


def provide_payment_service(money_kit: NamedDependency[MoneyKit]) -> PaymentService:
    return PaymentService.build(money_kit)


def provide_refund_service(payment_service: NamedDependency[PaymentService], state: State) -> RefundService:
    notifications = NotificationService(payment_service.uow, state.security.sealer, get_settings().sms)
    return RefundService(payment_service, notifications)


def provide_webhook_endpoint_service(
    uow: NamedDependency[UnitOfWork], state: State
) -> WebhookEndpointService:
    return WebhookEndpointService(uow, state.security.sealer, get_settings())


def provide_webhook_delivery_service(
    webhook_endpoint_service: NamedDependency[WebhookEndpointService], state: State
) -> WebhookDeliveryService:
    return WebhookDeliveryService(webhook_endpoint_service, state.dispatcher)


def provide_merchant_service(uow: NamedDependency[UnitOfWork]) -> MerchantService:
    return MerchantService(uow)


DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "redis": Provide(provide_redis, sync_to_thread=False),
    "dispatcher": Provide(provide_dispatcher, sync_to_thread=False),
    "security": Provide(provide_security, sync_to_thread=False),
    "request_context": Provide(provide_request_context, sync_to_thread=False),
    "client_info": Provide(provide_client_info, sync_to_thread=False),
    "uow": Provide(provide_unit_of_work, sync_to_thread=False),
    "health_service": Provide(provide_health_service, sync_to_thread=False),
    "sandbox_service": Provide(provide_sandbox_service, sync_to_thread=False),
    "auth_service": _identity_service(AuthService),
    "registration_service": _identity_service(RegistrationService),
    "session_service": _identity_service(SessionService),
    "pin_service": _identity_service(PinService),
    "user_service": _identity_service(UserService),
    "money_kit": Provide(provide_money_kit, sync_to_thread=False),
    "money_service": Provide(provide_money_service, sync_to_thread=False),
    "wallet_service": Provide(provide_wallet_service, sync_to_thread=False),
    "idempotency": Provide(provide_idempotency),
    "cash_out_service": Provide(provide_cash_out_service, sync_to_thread=False),
    "ledger_admin_service": Provide(provide_ledger_admin_service, sync_to_thread=False),
    "quote_service": Provide(provide_quote_service, sync_to_thread=False),
    "merchant_service": Provide(provide_merchant_service, sync_to_thread=False),
    "api_key_service": _identity_service(ApiKeyService),
    "payment_service": Provide(provide_payment_service, sync_to_thread=False),
    "refund_service": Provide(provide_refund_service, sync_to_thread=False),
    "webhook_endpoint_service": Provide(provide_webhook_endpoint_service, sync_to_thread=False),
    "webhook_delivery_service": Provide(provide_webhook_delivery_service, sync_to_thread=False),
}
