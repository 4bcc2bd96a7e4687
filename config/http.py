"""HTTP configuration: CORS, and OpenAPI with offline docs (rate limits: ompay.http.rate_limits)."""

from __future__ import annotations

from litestar.config.cors import CORSConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, Tag

from config.settings import Settings

DOCS_ASSETS_PATH = "/docs/assets"
LEGACY_TAG = "Legacy (Laravel-era)"

API_DESCRIPTION = """\
Mobile-money wallet and merchant payments in XOF. Amounts are integer francs (XOF has no minor unit).

**Errors.** `/api/v1` answers errors as RFC 9457 `application/problem+json` with a stable `code`
and, for invalid input (422), `errors: [{field, message}]` naming each public field. The legacy
routes answer in the Laravel envelope (see their tag).

**Language.** Human messages are French; send `Accept-Language: en` for English.

**Retries.** Every money-moving POST accepts an `Idempotency-Key` header (1 to 255 visible ASCII
characters, e.g. a UUID): the same key with the same body replays the first answer with
`Idempotent-Replayed: true` and never moves money twice; the same key with another body is 422
`IDEMPOTENCY_KEY_REUSED`; a twin still in flight is 409.

**Authentication.** Customers, agents and admins send `Authorization: Bearer <access token>` (from
`/api/v1/auth/login`, `/auth/otp/verify` or `/auth/refresh`); merchant servers send
`Authorization: Bearer ompay_sk_...` on `/api/v1/merchant/*` (payment requests, refunds, balance,
webhooks). Too many requests get 429 with `Retry-After`.

**Webhooks.** Each delivery is a JSON `POST` with `OMPAY-Event-Id`, `OMPAY-Delivery-Attempt` and
`OMPAY-Signature: t=<unix seconds>,v1=<hex>` where `<hex>` is the lowercase hex digest of
HMAC-SHA256, keyed with the whole endpoint secret (`whsec_...`, as UTF-8 bytes, prefix included),
over `<t>.<raw body>` (the bytes received, not re-encoded JSON). During a secret rotation the header
carries one `v1=` per live secret: accept the delivery when any of them matches (compare in constant
time) and `t` is within 5 minutes of your clock.

**Sandbox.** When the server runs with `APP_ENV` `local` or `test` (never in production), the
`Sandbox` routes fund a test wallet, settle a payment request as its customer would, and read the
SMS (login and activation codes) the sandbox driver "sent".
"""

TAGS = [
    Tag(
        name="Sandbox",
        description="Test helpers, present only when `APP_ENV` is `local` or `test`: "
        "`POST /sandbox/wallets/{phone}/fund` credits a customer wallet with test e-money, "
        "`POST /sandbox/payment-requests/{id}/simulate` approves, declines or expires a pending "
        "request, `GET /sandbox/sms?phone=` reads the texts sent to a phone (OTP codes).",
    ),
    Tag(
        name="Merchant webhooks",
        description="Endpoints, the event feed and the delivery log. Verify each delivery's "
        "`OMPAY-Signature` as described in the introduction.",
    ),
    Tag(
        name=LEGACY_TAG,
        description="The Laravel app's routes, kept working unchanged for its mobile app and "
        "merchants. They answer in the Laravel envelope: success `{success: true, message, data}`, "
        "error `{success: false, message, errors}` (`errors` is `{field: [reasons]}` for invalid "
        "input, `{auth: reason}` for 401/403, otherwise null), always `application/json`. Amounts are "
        "whole XOF numbers (`1000` or `1000.0`); phones are returned in the 9-digit local form. "
        "New integrations should use `/api/v1`.",
    ),
]


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
        description=API_DESCRIPTION,
        tags=TAGS,
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
