"""HTTP configuration: CORS, the coarse per-IP rate limit, and OpenAPI with offline docs."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.config.cors import CORSConfig
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components

from config.settings import Settings

DOCS_ASSETS_PATH = "/docs/assets"
RATE_LIMIT_STORE = "rate_limit"
AUTH_RATE_LIMIT_STORE = "auth_rate_limit"
USER_RATE_LIMIT_STORE = "user_rate_limit"
RATE_LIMIT_EXCLUDED = [r"^/health", r"^/metrics", r"^/docs", r"^/schema"]


def build_cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.http.cors_origins:
        return None
    return CORSConfig(
        allow_origins=settings.http.cors_origins,
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "Accept-Language"],
        expose_headers=["X-Request-Id", "Retry-After", "Idempotent-Replayed"],
    )


def build_rate_limit_config(settings: Settings) -> RateLimitConfig:
    """Coarse, per client IP; probes, metrics and docs are exempt."""
    return RateLimitConfig(
        rate_limit=("minute", settings.http.rate_limit_per_minute),
        exclude=RATE_LIMIT_EXCLUDED,
        exclude_opt_key="exclude_from_rate_limit",
        store=RATE_LIMIT_STORE,
    )


def build_auth_rate_limit_config(settings: Settings) -> RateLimitConfig:
    """Per IP on the sign-in routes. Kept loose: carrier NAT puts many customers behind one IP,
    so the per-phone attempt counters are the real protection."""
    return RateLimitConfig(
        rate_limit=("minute", settings.http.auth_rate_limit_per_minute),
        store=AUTH_RATE_LIMIT_STORE,
    )


def _user_or_ip(request: Request[Any, Any, Any]) -> str:
    user = request.scope.get("user")
    return f"user:{user.id}" if user is not None else f"ip:{request.client.host if request.client else '-'}"


def build_user_rate_limit_config(settings: Settings) -> RateLimitConfig:
    """Per signed-in user on the legacy wallet routes (the Laravel app's 60 per minute)."""
    return RateLimitConfig(
        rate_limit=("minute", settings.http.user_rate_limit_per_minute),
        store=USER_RATE_LIMIT_STORE,
        identifier_for_request=_user_or_ip,
    )


def build_openapi_config(settings: Settings, version: str, components: Components) -> OpenAPIConfig:
    """OpenAPI 3.1 at /schema/openapi.json; Swagger UI from local assets (no CDN)."""
    return OpenAPIConfig(
        title=f"{settings.app.name} API",
        version=version,
        description="Mobile-money wallet and merchant payments in XOF. Amounts are integer francs.",
        path="/schema",
        components=components,
        render_plugins=[
            SwaggerRenderPlugin(
                path="/swagger",
                js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
                css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
                standalone_preset_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS_PATH}/favicon-32x32.png'>",
            )
        ],
    )
