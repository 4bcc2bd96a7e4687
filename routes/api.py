"""/api/v1: the current API. Errors are RFC 9457 problem details."""

from __future__ import annotations

from litestar import Router

from ompay.http.exceptions import V1_PREFIX, problem_details_handler


def api_v1_router() -> Router:
    return Router(
        path=V1_PREFIX,
        route_handlers=[],
        exception_handlers={Exception: problem_details_handler},
    )
