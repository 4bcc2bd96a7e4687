"""TM-04 inline on the routes where a customer pays: every successful debit is counted in Redis;
a burst raises an alert at once (a `compliance` job files it), and is refused only where the
rule version in force says `inline_block`. The refusal is the generic rate-limit answer, which
tells the customer nothing of monitoring."""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.exceptions import RedisError

from ompay.http.middleware.kyc_gate import KYC_GATE
from ompay.http.middleware.money_body import valid_amount
from ompay.models import UserRole
from ompay.services.compliance.velocity import HOUR, VELOCITY_JOB, Velocity, blocks, too_fast

RETRY_AFTER = 300


class VelocityMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user: Any = scope.get("user")
        platform = scope["app"].state.platform
        rule = await platform.hot_reads.rule_in_force("TM-04") if user is not None else None
        if rule is None or user.role != UserRole.CUSTOMER:
            await next_app(scope, receive, send)
            return
        velocity = Velocity(platform.redis)
        so_far = await velocity.figures(user.id)
        if so_far is not None and blocks(rule, so_far):
            raise TooManyRequestsException(headers={"Retry-After": str(RETRY_AFTER)})
        statuses: list[int] = []

        async def watching(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        await next_app(scope, receive, watching)
        if statuses and 200 <= statuses[0] < 300:
            amount = valid_amount(scope, await Request(scope, receive).body()) or 0
            counted = await velocity.count(user.id, amount)
            if counted is not None and too_fast(rule, counted):
                hour = int(time.time()) // HOUR
                with suppress(RedisError, OSError):  # the evaluation job still sees the entries
                    await platform.dispatcher.enqueue(
                        "compliance",
                        VELOCITY_JOB,
                        key=f"velocity:{user.id}:{hour}",
                        user_id=str(user.id),
                        version=rule.version,
                        figures=counted,
                    )


VELOCITY = VelocityMiddleware()
MONEY_GATES = [KYC_GATE, VELOCITY]
"""On every route where a customer pays: the early KYC refusal, then the inline velocity count."""
