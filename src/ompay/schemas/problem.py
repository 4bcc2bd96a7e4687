"""The error body every /api/v1 route may answer with (RFC 9457), for the OpenAPI document."""

from __future__ import annotations

import msgspec
from litestar.openapi.datastructures import ResponseSpec


class FieldProblem(msgspec.Struct, frozen=True):
    field: str
    message: str


class ProblemDetails(msgspec.Struct, frozen=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None
    errors: list[FieldProblem] | None = None
    limit: str | None = None
    """`LIMIT_EXCEEDED` only: which limit (`counterparty` when it is the other party's)."""
    headroom: int | None = None
    """`LIMIT_EXCEEDED` only, for the caller's own limit: how much still fits."""


DESCRIPTIONS = {
    400: "Business rule refused (insufficient funds, wrong PIN, inactive account, limit exceeded, ...)",
    401: "Missing, invalid or revoked credentials",
    403: "Authenticated but not allowed",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Invalid input; `errors` names each field",
    429: "Too many attempts; see `Retry-After`",
    503: "A dependency is unavailable; retry later",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """A route's business errors; ompay.http.openapi adds the 401/403/404/422/429 every route shares."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=DESCRIPTIONS[status],
            media_type="application/problem+json",
        )
        for status in statuses
    }
