"""Early KYC refusal on the routes where a customer pays: what is known without the transaction.

A frozen or inactive wallet, or an amount over the caller's per-transaction maximum, is
refused here, before the PIN is hashed or a row is locked. The authoritative checks stay in
the money transaction (`services/compliance/limits.py`): this gate only saves work.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from ompay.domain.tier_limits import early_refusal
from ompay.http.middleware.money_body import valid_amount
from ompay.models import AccountKind, UserRole


class KycGateMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user: Any = scope.get("user")
        if user is not None and user.role == UserRole.CUSTOMER:
            platform = scope["app"].state.platform
            gate = await platform.hot_reads.money_gate(user.id, AccountKind.CUSTOMER_WALLET)
            amount = valid_amount(scope, await Request(scope, receive).body())
            refusal = early_refusal(gate, amount) if gate is not None else None
            if refusal is not None:
                await platform.refusals.record(refusal, None, amount, user.actor)
                raise refusal
        await next_app(scope, receive, send)


KYC_GATE = KycGateMiddleware()
