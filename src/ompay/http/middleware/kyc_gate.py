"""Early KYC refusal on the routes where a customer pays: what is known without the transaction.

A frozen or inactive wallet, or an amount over the caller's per-transaction maximum, is
refused here, before the PIN is hashed or a row is locked. The authoritative checks stay in
the money transaction (`services/compliance/limits.py`): this gate only saves work.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from ompay.domain.tier_limits import early_refusal
from ompay.models import AccountKind, UserRole


class KycGateMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user: Any = scope.get("user")
        if user is not None and user.role == UserRole.CUSTOMER:
            gate = await scope["app"].state.platform.hot_reads.money_gate(
                user.id, AccountKind.CUSTOMER_WALLET
            )
            amount = _valid_amount(scope, await Request(scope, receive).body())
            refusal = early_refusal(gate, amount) if gate is not None else None
            if refusal is not None:
                raise refusal
        await next_app(scope, receive, send)


def _valid_amount(scope: Scope, body: bytes) -> int | None:
    """The body's `amount` once the route's own schema accepts the body, else None.

    A body the route would refuse gets the route's own answer (a 422 naming the field), so the
    gate never changes what invalid input is told.
    """
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


KYC_GATE = KycGateMiddleware()
