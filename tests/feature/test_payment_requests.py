"""Payment requests over HTTP: creation, every way to complete them, every transition, isolation."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.feature.test_money_operations import _fee_revenue, _fee_schedule
from tests.identity import active_customer, bearer, latest_code, staff_tokens
from tests.merchant_support import PIN, funded_customer, merchant_with_key
from tests.money_support import wallet_balance

REQUESTS = "/api/v1/merchant/payment-requests"


async def _create(client: AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(REQUESTS, json={"amount": 5000, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _merchant_balance(client: AsyncClient, headers: dict[str, str]) -> int:
    return int((await client.get("/api/v1/merchant/balance", headers=headers)).json()["available"])


async def _approve(client: AsyncClient, request_id: str, tokens: dict[str, Any], **headers: str) -> Any:
    return await client.post(
        f"/api/v1/payment-requests/{request_id}/approve",
        json={"pin": PIN},
        headers={**bearer(tokens), **headers},
    )


async def test_a_new_request_is_pending_with_a_code_a_signed_qr_and_a_payment_page(
    client: AsyncClient,
) -> None:
    _, headers, _ = await merchant_with_key(client)
    created = await _create(client, headers, client_reference="CMD-1", metadata={"order": "42"})
    assert created["status"] == "pending"
    assert re.fullmatch(r"\d{6}", created["payment_code"])
    assert created["qr_payload"].startswith("OMPAY1.")
    assert created["payment_url"].endswith(f"/pay/{created['id']}")
    assert (created["trade_name"], created["metadata"], created["sequence"]) == (
        "Boutique Ndiaye",
        {"order": "42"},
        1,
    )
    assert (await client.get(f"{REQUESTS}/{created['id']}", headers=headers)).json() == created
    await _create(client, headers, client_reference="CMD-2")
    listed = (await client.get(REQUESTS, params={"client_reference": "CMD-1"}, headers=headers)).json()
    assert [row["id"] for row in listed["data"]] == [created["id"]]
    first = (await client.get(REQUESTS, params={"limit": 1}, headers=headers)).json()
    assert first["has_more"] is True
    rest = (
        await client.get(REQUESTS, params={"starting_after": first["next_cursor"]}, headers=headers)
    ).json()
    assert [row["client_reference"] for row in rest["data"]] == ["CMD-1"]


async def test_bad_input_names_the_field(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    for body, field in (
        ({"amount": 0}, "amount"),
        ({"amount": 5000, "expires_in": 86401}, "expires_in"),
        ({"amount": 5000, "customer_phone": "12"}, "customer_phone"),
    ):
        response = await client.post(REQUESTS, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field


async def test_approval_in_the_app_pays_once_however_often_it_is_sent(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, customer_phone=customer["phone"])
    pending = (await client.get("/api/v1/payment-requests", headers=bearer(tokens))).json()["data"]
    assert [row["id"] for row in pending] == [created["id"]]
    responses = await asyncio.gather(*(_approve(client, created["id"], tokens) for _ in range(5)))
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409, 409]
    paid = next(r for r in responses if r.status_code == 200).json()
    assert (paid["status"], paid["channel"]) == ("succeeded", "app")
    assert "metadata" not in paid
    assert await wallet_balance(client, tokens) == 15_000
    assert await _merchant_balance(client, headers) == 5000
    again = await _approve(client, created["id"], tokens)
    assert again.json()["code"] == "PAYMENT_REQUEST_NOT_PENDING"


async def test_a_retried_approval_with_its_idempotency_key_replays(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, customer_phone=customer["phone"])
    key = str(uuid.uuid4())
    first = await _approve(client, created["id"], tokens, **{"Idempotency-Key": key})
    second = await _approve(client, created["id"], tokens, **{"Idempotency-Key": key})
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["entry_id"] == second.json()["entry_id"]
    assert await wallet_balance(client, tokens) == 15_000


async def test_a_wrong_pin_moves_nothing(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, customer_phone=customer["phone"])
    response = await client.post(
        f"/api/v1/payment-requests/{created['id']}/approve", json={"pin": "0000"}, headers=bearer(tokens)
    )
    assert response.json()["code"] == "PIN_INCORRECT"
    assert (await client.get(f"{REQUESTS}/{created['id']}", headers=headers)).json()["status"] == "pending"
    assert await wallet_balance(client, tokens) == 20_000


async def test_approval_after_expiry_fails_and_the_job_expires_the_request(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, customer_phone=customer["phone"])
    await session.execute(
        text("UPDATE payment_requests SET expires_at = now() - interval '1 second' WHERE id = :id"),
        {"id": created["id"]},
    )
    await session.commit()
    late = await _approve(client, created["id"], tokens)
    assert (late.status_code, late.json()["code"]) == (409, "PAYMENT_REQUEST_EXPIRED")
    await support.enqueue_and_run("webhooks", "expire_payment_requests")
    expired = (await client.get(f"{REQUESTS}/{created['id']}", headers=headers)).json()
    assert (expired["status"], expired["failure_reason"]) == ("expired", "expired")
    assert await wallet_balance(client, tokens) == 20_000


async def test_decline_and_cancel_close_a_request_once(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    declined = await _create(client, headers, customer_phone=customer["phone"])
    response = await client.post(f"/api/v1/payment-requests/{declined['id']}/decline", headers=bearer(tokens))
    assert response.json()["status"] == "failed"
    assert (await _approve(client, declined["id"], tokens)).status_code == 409
    cancelled = await _create(client, headers)
    assert (await client.post(f"{REQUESTS}/{cancelled['id']}/cancel", headers=headers)).json()[
        "status"
    ] == "cancelled"
    twice = await client.post(f"{REQUESTS}/{cancelled['id']}/cancel", headers=headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "PAYMENT_REQUEST_NOT_PENDING")


async def test_the_database_refuses_a_second_move_out_of_pending(
    session: AsyncSession, client: AsyncClient
) -> None:
    _, headers, _ = await merchant_with_key(client)
    created = await _create(client, headers)
    await session.execute(
        text("UPDATE payment_requests SET status = 'cancelled' WHERE id = :id"), {"id": created["id"]}
    )
    await session.commit()
    with pytest.raises(DBAPIError, match="already cancelled"):
        await session.execute(
            text("UPDATE payment_requests SET status = 'succeeded' WHERE id = :id"), {"id": created["id"]}
        )
    await session.rollback()


async def test_at_the_till_the_customer_code_confirms_the_payment_once(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, customer_phone=customer["phone"])
    sent = await client.post(f"{REQUESTS}/{created['id']}/send-otp", headers=headers)
    assert sent.status_code == 200, sent.text
    await support.run_worker_burst("notifications")
    sms = (await client.get("/api/v1/sandbox/sms", params={"phone": customer["phone"]})).json()[0]["body"]
    assert "Payer 5 000 F à Boutique Ndiaye ? Code" in sms
    code = await latest_code(client, customer["phone"])
    wrong = await client.post(f"{REQUESTS}/{created['id']}/confirm", json={"code": "000000"}, headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "OTP_INVALID")
    confirmed = await client.post(f"{REQUESTS}/{created['id']}/confirm", json={"code": code}, headers=headers)
    assert confirmed.json()["status"] == "succeeded", confirmed.text
    assert confirmed.json()["channel"] == "till_otp"
    again = await client.post(f"{REQUESTS}/{created['id']}/confirm", json={"code": code}, headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "PAYMENT_REQUEST_NOT_PENDING")
    assert await wallet_balance(client, tokens) == 15_000


async def test_customers_pay_by_till_code_or_by_qr_and_a_forged_qr_is_refused(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    by_code = await _create(client, headers)
    paid = await client.post(
        "/api/v1/payments", json={"payment_code": by_code["payment_code"], "pin": PIN}, headers=bearer(tokens)
    )
    assert (paid.status_code, paid.json()["channel"]) == (201, "payment_code")
    by_qr = await _create(client, headers, amount=3000)
    forged = by_qr["qr_payload"][:-1] + ("0" if by_qr["qr_payload"][-1] != "0" else "1")
    refused = await client.post(
        "/api/v1/payments", json={"qr_payload": forged, "pin": PIN}, headers=bearer(tokens)
    )
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "qr_payload")
    scanned = await client.post(
        "/api/v1/payments", json={"qr_payload": by_qr["qr_payload"], "pin": PIN}, headers=bearer(tokens)
    )
    assert (scanned.status_code, scanned.json()["channel"]) == (201, "qr")
    assert await wallet_balance(client, tokens) == 12_000
    neither = await client.post("/api/v1/payments", json={"pin": PIN}, headers=bearer(tokens))
    assert (neither.status_code, neither.json()["errors"][0]["field"]) == (422, "payment_code")


async def test_paying_a_merchant_by_its_code(client: AsyncClient) -> None:
    merchant, headers, owner_tokens = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    paid = await client.post(
        "/api/v1/payments",
        json={"merchant_code": merchant["code"], "amount": 2500, "pin": PIN},
        headers=bearer(tokens),
    )
    assert paid.status_code == 201, paid.text
    assert (paid.json()["status"], paid.json()["channel"], paid.json()["amount"]) == (
        "succeeded",
        "merchant_code",
        2500,
    )
    assert await _merchant_balance(client, headers) == 2500
    unknown = await client.post(
        "/api/v1/payments",
        json={"merchant_code": "MCH00000000", "amount": 2500, "pin": PIN},
        headers=bearer(tokens),
    )
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "merchant_code")
    await client.post("/api/v1/me/pin", json={"pin": PIN}, headers=bearer(owner_tokens))
    own = await client.post(
        "/api/v1/payments",
        json={"merchant_code": merchant["code"], "amount": 100, "pin": PIN},
        headers=bearer(owner_tokens),
    )
    assert own.json()["code"] == "OWN_MERCHANT"


async def test_a_suspended_merchant_takes_no_payment(client: AsyncClient) -> None:
    merchant, headers, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers)
    _, admin = await staff_tokens(client, "admin")
    await client.post(f"/api/v1/admin/merchants/{merchant['id']}/suspend", headers=bearer(admin))
    paid = await client.post(
        "/api/v1/payments", json={"payment_code": created["payment_code"], "pin": PIN}, headers=bearer(tokens)
    )
    assert (paid.status_code, paid.json()["code"]) == (400, "MERCHANT_NOT_ACTIVE")
    refused = await client.post(REQUESTS, json={"amount": 1000}, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (400, "MERCHANT_NOT_ACTIVE")
    assert await wallet_balance(client, tokens) == 20_000


async def test_a_merchant_fee_is_charged_to_the_merchant(client: AsyncClient, session: AsyncSession) -> None:
    await _fee_schedule(session, "merchant_payment", percent_bps=150, minimum=50)
    before = await _fee_revenue(session)
    _, headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    created = await _create(client, headers, amount=10_000, customer_phone=customer["phone"])
    assert (await _approve(client, created["id"], tokens)).status_code == 200
    merchant_view = (await client.get(f"{REQUESTS}/{created['id']}", headers=headers)).json()
    assert merchant_view["fee"] == 150
    assert await wallet_balance(client, tokens) == 10_000
    assert await _merchant_balance(client, headers) == 9850
    assert await _fee_revenue(session) - before == 150


async def test_nobody_sees_another_merchants_or_customers_requests(client: AsyncClient) -> None:
    _, headers_a, _ = await merchant_with_key(client)
    _, headers_b, _ = await merchant_with_key(client, trade_name="Chez Fatou")
    customer, tokens = await funded_customer(client, 20_000)
    _, stranger = await funded_customer(client, 20_000)
    created = await _create(client, headers_a, customer_phone=customer["phone"])
    for path in (f"{REQUESTS}/{created['id']}",):
        assert (await client.get(path, headers=headers_b)).status_code == 404
    assert (await client.post(f"{REQUESTS}/{created['id']}/cancel", headers=headers_b)).status_code == 404
    assert (await client.get(REQUESTS, headers=headers_b)).json()["data"] == []
    mine = f"/api/v1/payment-requests/{created['id']}"
    assert (await client.get(mine, headers=bearer(stranger))).status_code == 404
    assert (await _approve(client, created["id"], stranger)).status_code == 404
    assert (await client.get(mine, headers=bearer(tokens))).status_code == 200


async def test_sandbox_simulates_the_customer(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, _ = await funded_customer(client, 20_000)
    outcomes = {}
    for action in ("approve", "decline", "expire"):
        created = await _create(client, headers, customer_phone=customer["phone"])
        response = await client.post(
            f"/api/v1/sandbox/payment-requests/{created['id']}/simulate", json={"action": action}
        )
        outcomes[action] = response.json()["status"]
    assert outcomes == {"approve": "succeeded", "decline": "failed", "expire": "expired"}
    assert await _merchant_balance(client, headers) == 5000


async def test_write_routes_need_the_write_scope(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client, scopes=["payments:read"])
    response = await client.post(REQUESTS, json={"amount": 1000}, headers=headers)
    assert (response.status_code, response.json()["code"]) == (403, "INSUFFICIENT_SCOPE")
    assert (await client.get(REQUESTS, headers=headers)).status_code == 200


async def test_customers_only_can_approve(client: AsyncClient) -> None:
    _, agent = await staff_tokens(client, "agent")
    response = await client.post(
        f"/api/v1/payment-requests/{uuid.uuid4()}/approve", json={"pin": PIN}, headers=bearer(agent)
    )
    assert response.status_code == 403
    _, tokens = await active_customer(client)
    missing = await client.post(
        f"/api/v1/payment-requests/{uuid.uuid4()}/approve", json={"pin": PIN}, headers=bearer(tokens)
    )
    assert missing.status_code == 404


async def test_a_creation_retried_with_its_idempotency_key_returns_the_first_request(
    client: AsyncClient,
) -> None:
    _, headers, _ = await merchant_with_key(client)
    key = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    body = {"amount": 5000, "client_reference": "CMD-9"}
    responses = await asyncio.gather(*(client.post(REQUESTS, json=body, headers=key) for _ in range(8)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 7
    reused = await client.post(REQUESTS, json={**body, "amount": 6000}, headers=key)
    assert (reused.status_code, reused.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")
    listed = (await client.get(REQUESTS, params={"client_reference": "CMD-9"}, headers=headers)).json()
    assert len(listed["data"]) == 1
