"""Refunds: from the merchant's wallet back to the payer, never beyond what was paid, idempotent."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.feature.test_money_operations import _fee_schedule
from tests.identity import bearer
from tests.merchant_support import PIN, funded_customer, merchant_with_key
from tests.money_support import wallet_balance


async def _paid(client: AsyncClient, headers: dict[str, str], tokens: dict[str, Any], amount: int) -> str:
    created = await client.post("/api/v1/merchant/payment-requests", json={"amount": amount}, headers=headers)
    paid = await client.post(
        "/api/v1/payments",
        json={"payment_code": created.json()["payment_code"], "pin": PIN},
        headers=bearer(tokens),
    )
    assert paid.status_code == 201, paid.text
    return str(paid.json()["id"])


async def _refund(
    client: AsyncClient, headers: dict[str, str], payment_id: str, amount: int, **extra: str
) -> Any:
    return await client.post(
        "/api/v1/merchant/refunds",
        json={"payment_request_id": payment_id, "amount": amount, "reason": "Article retourné"},
        headers={**headers, **extra},
    )


async def test_partial_refunds_up_to_the_amount_paid_and_no_further(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    payment_id = await _paid(client, headers, tokens, 8000)
    first = await _refund(client, headers, payment_id, 3000)
    assert first.status_code == 201, first.text
    assert (first.json()["amount"], first.json()["status"]) == (3000, "succeeded")
    assert await wallet_balance(client, tokens) == 15_000
    over = await _refund(client, headers, payment_id, 5001)
    assert (over.status_code, over.json()["code"]) == (422, "REFUND_EXCEEDS_REMAINING")
    assert over.json()["errors"][0]["field"] == "amount"
    assert (await _refund(client, headers, payment_id, 5000)).status_code == 201
    payment = (await client.get(f"/api/v1/merchant/payment-requests/{payment_id}", headers=headers)).json()
    assert payment["refunded_amount"] == 8000
    shown = await client.get(f"/api/v1/merchant/refunds/{first.json()['id']}", headers=headers)
    assert shown.json() == first.json()
    await support.run_worker_burst("notifications")
    texts = [
        m["body"]
        for m in (await client.get("/api/v1/sandbox/sms", params={"phone": customer["phone"]})).json()
    ]
    assert any("vous a remboursé 3 000 F" in text for text in texts)


async def test_a_refund_replays_with_its_idempotency_key(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    payment_id = await _paid(client, headers, tokens, 8000)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await _refund(client, headers, payment_id, 8000, **key)
    second = await _refund(client, headers, payment_id, 8000, **key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert await wallet_balance(client, tokens) == 20_000


async def test_a_refund_needs_the_funds_in_the_merchant_wallet(
    client: AsyncClient, session: AsyncSession
) -> None:
    await _fee_schedule(session, "merchant_payment", percent_bps=200, minimum=0)
    _, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    payment_id = await _paid(client, headers, tokens, 10_000)
    short = await _refund(client, headers, payment_id, 10_000)
    assert (short.status_code, short.json()["code"]) == (400, "INSUFFICIENT_FUNDS")
    assert await wallet_balance(client, tokens) == 10_000


async def test_refunds_need_their_scope_and_stay_with_their_merchant(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    payment_id = await _paid(client, headers, tokens, 8000)
    _, read_only, _ = await merchant_with_key(client, scopes=["payments:read"])
    forbidden = await _refund(client, read_only, payment_id, 1000)
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "INSUFFICIENT_SCOPE")
    _, other, _ = await merchant_with_key(client, trade_name="Chez Awa")
    assert (await _refund(client, other, payment_id, 1000)).status_code == 404
    pending = await client.post("/api/v1/merchant/payment-requests", json={"amount": 1000}, headers=headers)
    unpaid = await _refund(client, headers, pending.json()["id"], 500)
    assert (unpaid.status_code, unpaid.json()["code"]) == (409, "PAYMENT_NOT_REFUNDABLE")


async def test_balance_transactions_list_payments_fees_and_refunds_with_their_ids(
    client: AsyncClient, session: AsyncSession
) -> None:
    await _fee_schedule(session, "merchant_payment", percent_bps=100, minimum=0)
    _, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    payment_id = await _paid(client, headers, tokens, 10_000)
    refund = (await _refund(client, headers, payment_id, 2000)).json()
    page = (await client.get("/api/v1/merchant/balance-transactions", headers=headers)).json()
    rows = [(r["kind"], r["gross"], r["fee"], r["net"], r["balance_after"]) for r in page["data"]]
    assert rows == [("refund", -2000, 0, -2000, 7900), ("merchant_payment", 10_000, 100, 9900, 9900)]
    assert page["data"][0]["refund_id"] == refund["id"]
    assert {r["payment_request_id"] for r in page["data"]} == {payment_id}
    first = (
        await client.get("/api/v1/merchant/balance-transactions", params={"limit": 1}, headers=headers)
    ).json()
    rest = await client.get(
        "/api/v1/merchant/balance-transactions",
        params={"starting_after": first["next_cursor"]},
        headers=headers,
    )
    assert [r["kind"] for r in rest.json()["data"]] == ["merchant_payment"]
