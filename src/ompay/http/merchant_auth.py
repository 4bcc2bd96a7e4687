"""Merchant servers authenticate with `Authorization: Bearer ompay_sk_...`; routes require scopes."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware
from litestar.openapi.spec import SecurityScheme
from litestar.types import Guard

from ompay.domain.merchants import (
    API_KEY_PREFIX,
    ApiKeyInvalid,
    ApiKeyRequired,
    InsufficientScope,
    MerchantNotActive,
    Scope,
)
from ompay.http.auth import unauthenticated_options
from ompay.http.dependencies import request_services
from ompay.services.merchants.api_keys import MerchantCaller

API_KEY = "MerchantApiKey"
API_KEY_SECURITY: list[dict[str, list[str]]] = [{API_KEY: []}]
API_KEY_SCHEME = SecurityScheme(
    type="http",
    scheme="bearer",
    description="A merchant API key (`ompay_sk_...`), created by the merchant owner at "
    "/api/v1/merchant/api-keys. Each route names the scope it needs.",
)


class ApiKeyAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        scheme, _, secret = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.startswith(API_KEY_PREFIX):
            raise ApiKeyRequired()
        service = request_services(connection.app.state, connection.scope).api_key_service
        caller = await service.authenticate(secret, connection.client.host if connection.client else None)
        if caller is None:
            raise ApiKeyInvalid()
        return AuthenticationResult(user=caller, auth=caller.key_id)


# Its own opt key: these routes set `exclude_from_auth` to turn the user-token middleware off.
api_key_auth = DefineMiddleware(
    ApiKeyAuthenticationMiddleware, exclude_from_auth_key="exclude_from_api_key_auth"
)


def requires_scope(scope: Scope, *, active_merchant: bool = False) -> Guard:
    """Allow keys holding `scope` (and, for money-moving routes, only an active merchant's)."""

    async def guard(connection: ASGIConnection[Any, MerchantCaller, Any, Any], _: BaseRouteHandler) -> None:
        if unauthenticated_options(connection):
            return
        if scope.value not in connection.user.scopes:
            raise InsufficientScope()
        if active_merchant and not connection.user.merchant_active:
            raise MerchantNotActive()

    return guard
