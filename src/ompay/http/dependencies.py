"""Dependency providers: what controllers may ask for by name.

Every service provider is generated from `ompay.services.container.Services` and takes only
app state and the scope: Litestar resolves each level of nested dependencies in an anyio task
group (about 10 % of a read's CPU), so no provider depends on another.
"""

from __future__ import annotations

from typing import Any, cast

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.types import Scope

from config.settings import Settings
from ompay.http.idempotency import provide_idempotency
from ompay.http.middleware.request_context import request_id_of
from ompay.services.audit import RequestContext
from ompay.services.container import Platform, Services
from ompay.services.identity.sessions import ClientInfo, CurrentUser
from ompay.services.merchants.api_keys import MerchantCaller
from ompay.services.unit_of_work import UnitOfWork

_SERVICES_KEY = "ompay.services"


def request_services(state: State, scope: Scope) -> Services:
    """The request's services, over one unit of work built on first use."""
    scope_state = scope["state"]
    services = scope_state.get(_SERVICES_KEY)
    if services is None:
        platform: Platform = state.platform
        session = state.alchemy.provide_session(state, scope)
        uow = UnitOfWork(session, platform.dispatcher, platform.settings.queue, request_context(scope))
        services = scope_state[_SERVICES_KEY] = Services(uow, platform)
    return cast(Services, services)


def request_context(scope: Scope) -> RequestContext:
    client = scope.get("client")
    return RequestContext(request_id=request_id_of(scope), ip_address=client[0] if client else None)


def provide_current_user(scope: Scope) -> CurrentUser:
    """The signed-in wallet holder or staff member (the bearer-token routes)."""
    return cast(CurrentUser, scope["user"])


def provide_merchant_caller(scope: Scope) -> MerchantCaller:
    """The merchant whose API key signed the call (the API-key routes)."""
    return cast(MerchantCaller, scope["user"])


def provide_client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    return ClientInfo(
        user_agent=request.headers.get("user-agent"),
        ip_address=request.client.host if request.client else None,
    )


def provide_unit_of_work(state: State, scope: Scope) -> UnitOfWork:
    return request_services(state, scope).uow


def provide_settings(state: State) -> Settings:
    return cast(Platform, state.platform).settings


def _service_provider(name: str) -> Provide:
    def provide(state: State, scope: Scope) -> Any:
        return getattr(request_services(state, scope), name)

    return Provide(provide, sync_to_thread=False)


DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "client_info": Provide(provide_client_info, sync_to_thread=False),
    "current_user": Provide(provide_current_user, sync_to_thread=False),
    "merchant_caller": Provide(provide_merchant_caller, sync_to_thread=False),
    "uow": Provide(provide_unit_of_work, sync_to_thread=False),
    "idempotency": Provide(provide_idempotency),
    **{name: _service_provider(name) for name in Services.names()},
}
