"""The amount of a money route's body, read the way the route itself will read it."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.types import Scope

_AMOUNT = "ompay.amount"


def valid_amount(scope: Scope, body: bytes) -> int | None:
    """The body's `amount` once the route's own schema accepts the body, else None.

    A body the route would refuse gets the route's own answer (a 422 naming the field), so the
    gate never changes what invalid input is told. Decoded once per request, however many gates
    ask (the KYC gate, then the velocity count).
    """
    if _AMOUNT in scope:
        cached: int | None = scope[_AMOUNT]  # type: ignore[literal-required]
        return cached
    amount = _decoded_amount(scope, body)
    scope[_AMOUNT] = amount  # type: ignore[literal-required]
    return amount


def _decoded_amount(scope: Scope, body: bytes) -> int | None:
    handler: Any = scope.get("route_handler")
    data = handler.parsed_fn_signature.parameters.get("data") if handler else None
    if data is None or not body:
        return None
    try:
        parsed = msgspec.convert(msgspec.json.decode(body), data.annotation)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return None
    amount = getattr(parsed, "amount", None)
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None
