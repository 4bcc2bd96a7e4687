"""Bearer-token authentication for users, and role guards.

Every authenticated request is checked against its session and account (one indexed
query, see HotReads), so logout, "log out everywhere" and suspensions take effect at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Self, cast

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.security.jwt import JWTAuth, Token
from litestar.types import Guard

from ompay.models import UserRole
from ompay.services.identity.security import Security
from ompay.services.identity.sessions import ALGORITHM, ISSUER, CurrentUser, authenticate

BEARER = "BearerToken"
_REMEMBERED_TOKENS = 10_000
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]


class AccessToken(Token):
    """Litestar's token, remembering the ones it has verified.

    A client presents the same access token for its whole 15 minutes, and checking its
    signature and claims again costs about 15 % of an authenticated read. A remembered token
    still expires on time; only the exact string that was verified (under the same secret) hits.
    """

    @classmethod
    def decode(
        cls,
        encoded_token: str,
        secret: str,
        algorithm: str,
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_exp: bool = True,
        verify_nbf: bool = True,
        strict_audience: bool = False,
    ) -> Self:
        key = (secret, encoded_token)
        token = _verified.get(key)
        if token is None:
            token = super().decode(
                encoded_token,
                secret,
                algorithm,
                audience,
                issuer,
                require_claims,
                verify_exp,
                verify_nbf,
                strict_audience,
            )
            if len(_verified) >= _REMEMBERED_TOKENS:
                _verified.clear()
            _verified[key] = token
        elif token.exp <= datetime.now(UTC):
            raise NotAuthorizedException("Invalid token")
        return cast("Self", token)


_verified: dict[tuple[str, str], AccessToken] = {}


async def current_user_from_token(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> CurrentUser | None:
    platform = connection.app.state.platform
    return await authenticate(token, platform.hot_reads, platform.security.sessions)


def build_user_auth(security: Security) -> JWTAuth[CurrentUser, AccessToken]:
    return JWTAuth[CurrentUser, AccessToken](
        token_secret=security.keys.access_token,
        retrieve_user_handler=current_user_from_token,
        token_cls=AccessToken,
        algorithm=ALGORITHM,
        accepted_issuers=[ISSUER],
        require_claims=["exp", "sub", "jti"],
        exclude_opt_key="exclude_from_auth",
        exclude=[r"^/health", r"^/metrics", r"^/docs", r"^/schema"],
        openapi_security_scheme_name=BEARER,
        description="User access token (15 minutes) from /api/v1/auth/login, /otp/verify or /refresh.",
    )


def unauthenticated_options(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """An OPTIONS request, which authentication lets through (CORS preflights carry no credentials).

    Litestar answers it itself with the Allow header, so a guard has no caller to check.
    """
    return connection.scope.get("method") == "OPTIONS" and "user" not in connection.scope


def requires_role(*roles: UserRole) -> Guard:
    """Allow only callers with one of `roles` (async: a sync guard would hop to a worker thread)."""

    async def guard(connection: ASGIConnection[Any, CurrentUser, Any, Any], _: BaseRouteHandler) -> None:
        if unauthenticated_options(connection):
            return
        if connection.user.role not in roles:
            raise PermissionDeniedException()

    return guard
