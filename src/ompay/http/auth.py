"""Bearer-token authentication for users, and role guards.

Every authenticated request is checked against its session and account (one indexed
query), so logout, "log out everywhere" and suspensions take effect immediately.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.security.jwt import JWTAuth, Token
from litestar.types import Guard

from ompay.models import UserRole
from ompay.services.security import Security
from ompay.services.sessions import ALGORITHM, ISSUER, CurrentUser, SessionService
from ompay.services.unit_of_work import UnitOfWork

BEARER = "BearerToken"
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]


async def current_user_from_token(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> CurrentUser | None:
    state = connection.app.state
    session = state.alchemy.provide_session(state, connection.scope)
    uow = UnitOfWork(session, state.dispatcher, state.security.settings.queue)
    return await SessionService(uow, state.security).authenticate(token)


def build_user_auth(security: Security) -> JWTAuth[CurrentUser, Token]:
    return JWTAuth[CurrentUser, Token](
        token_secret=security.keys.access_token,
        retrieve_user_handler=current_user_from_token,
        algorithm=ALGORITHM,
        accepted_issuers=[ISSUER],
        require_claims=["exp", "sub", "jti"],
        exclude_opt_key="exclude_from_auth",
        exclude=[r"^/health", r"^/metrics", r"^/docs", r"^/schema"],
        openapi_security_scheme_name=BEARER,
        description="User access token (15 minutes) from /api/v1/auth/login, /otp/verify or /refresh.",
    )


def requires_role(*roles: UserRole) -> Guard:
    """Allow only callers with one of `roles` (async: a sync guard would hop to a worker thread)."""

    async def guard(connection: ASGIConnection[Any, CurrentUser, Any, Any], _: BaseRouteHandler) -> None:
        if connection.user.role not in roles:
            raise PermissionDeniedException()

    return guard
