"""HTTP configuration: CORS, and OpenAPI with offline docs (rate limits: ompay.http.rate_limits)."""

from __future__ import annotations

from litestar.config.cors import CORSConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components

from config.settings import Settings

DOCS_ASSETS_PATH = "/docs/assets"


def build_cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.http.cors_origins:
        return None
    return CORSConfig(
        allow_origins=settings.http.cors_origins,
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "Accept-Language"],
        expose_headers=["X-Request-Id", "Retry-After", "Idempotent-Replayed"],
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
