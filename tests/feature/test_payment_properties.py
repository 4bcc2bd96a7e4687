"""Property: any sequence of payments and refunds conserves money; refunds never exceed payments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.identity import bearer
from tests.ledger_support import ledger_is_consistent
from tests.merchant_support import funded_customer, merchant_with_key
from tests.money_support import wallet_balance

operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(100, 20_000)),
        st.tuples(st.just("refund"), st.integers(0, 5), st.integers(1, 20_000)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
async def world() -> AsyncIterator[dict[str, Any]]:
    """One merchant and one well-funded customer, shared by every example of one run.

    Their own app, with the request limits lifted: a run makes hundreds of calls as one
    customer, far past the legacy 60 per minute.
    """
    async with support.app_with_env(
        RATE_LIMIT_PER_MINUTE="1000000", USER_RATE_LIMIT_PER_MINUTE="1000000"
    ) as client:
        merchant, headers, _ = await merchant_with_key(client)
        _, tokens = await funded_customer(client, 5_000_000)
        yield {"client": client, "merchant": merchant, "headers": headers, "tokens": tokens}


async def _merchant_balance(client: AsyncClient, headers: dict[str, str]) -> int:
    return int((await client.get("/api/v1/merchant/balance", headers=headers)).json()["available"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
async def test_payments_and_refunds_conserve_money(
    session: AsyncSession, world: dict[str, Any], ops: list[tuple[Any, ...]]
) -> None:
    client: AsyncClient = world["client"]
    headers, tokens, code = world["headers"], world["tokens"], world["merchant"]["code"]
    customer_before = await wallet_balance(client, tokens)
    merchant_before = await _merchant_balance(client, headers)
    paid: list[tuple[str, int, int]] = []  # (payment id, amount, refunded so far)
    for op in ops:
        if op[0] == "pay":
            response = await client.post(
                "/api/paiement/marchand",
                json={"code_marchand": code, "montant": op[1]},
                headers=bearer(tokens),
            )
            assert response.status_code == 200, response.text
            created = await client.get(
                "/api/v1/merchant/payment-requests",
                params={"limit": 1, "status": "succeeded"},
                headers=headers,
            )
            paid.append((created.json()["data"][0]["id"], op[1], 0))
        elif paid:
            index, amount = op[1] % len(paid), op[2]
            payment_id, total, refunded = paid[index]
            response = await client.post(
                "/api/v1/merchant/refunds",
                json={"payment_request_id": payment_id, "amount": amount},
                headers=headers,
            )
            if amount <= total - refunded:
                assert response.status_code == 201, response.text
                paid[index] = (payment_id, total, refunded + amount)
            else:
                assert response.json()["code"] == "REFUND_EXCEEDS_REMAINING"
    net = sum(total - refunded for _, total, refunded in paid)
    assert await _merchant_balance(client, headers) == merchant_before + net
    assert await wallet_balance(client, tokens) == customer_before - net
    for payment_id, _, refunded in paid:
        shown = await client.get(f"/api/v1/merchant/payment-requests/{payment_id}", headers=headers)
        assert shown.json()["refunded_amount"] == refunded
    assert await ledger_is_consistent(session)
