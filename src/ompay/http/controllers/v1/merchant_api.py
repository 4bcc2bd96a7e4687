"""/api/v1/merchant/*: what a merchant's server calls with its API key."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency

from ompay.domain.merchants import Scope
from ompay.http.merchant_auth import API_KEY_SECURITY, api_key_auth, requires_scope
from ompay.schemas.merchant_api import MerchantBalanceResource
from ompay.schemas.problem import problem_responses
from ompay.services.api_keys import MerchantCaller
from ompay.services.merchants import MerchantService

Merchant = Request[MerchantCaller, Any, Any]


class MerchantApiController(Controller):
    """Base of the API-key routes: their own authentication instead of the user bearer token."""

    opt = {"exclude_from_auth": True}
    middleware = [api_key_auth]
    security = API_KEY_SECURITY


class BalanceController(MerchantApiController):
    tags = ["Merchant balance"]

    @get(
        "/balance",
        summary="The merchant wallet's balance",
        guards=[requires_scope(Scope.BALANCE_READ)],
        responses=problem_responses(401, 403),
    )
    async def balance(
        self, request: Merchant, merchant_service: NamedDependency[MerchantService]
    ) -> MerchantBalanceResource:
        return MerchantBalanceResource.of(await merchant_service.wallet(request.user.merchant_id))
