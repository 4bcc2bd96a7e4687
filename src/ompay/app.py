"""The application factory."""

from __future__ import annotations

from litestar import Litestar


def create_app() -> Litestar:
    """Build the app; RequestContextMiddleware wraps everything, framework 404s included.

    The body size limit is a constructor argument: Litestar ignores it when a plugin sets it.
    The OpenAPI document is built here, once, and completed (ompay.http.openapi) before it is served.
    """
    from config.settings import get_settings
    from ompay.http.middleware.request_context import RequestContextMiddleware
    from ompay.http.openapi import complete_openapi
    from ompay.lib.queue import drop_in_process_worker_hooks
    from ompay.providers import ApplicationCore

    app = Litestar(
        plugins=[ApplicationCore()], request_max_body_size=get_settings().http.request_max_body_bytes
    )
    app.asgi_handler = RequestContextMiddleware(app.asgi_handler)
    drop_in_process_worker_hooks(app)
    complete_openapi(app)
    return app
