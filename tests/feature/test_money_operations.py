"""Fees and quotes, agent cash-out approved by the customer, reversals, reconciliation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.identity import active_customer, bearer, staff_tokens
from tests.ledger_support import customer_wallet, issue, ledger_is_consistent
from tests.money_support import customer_funded_by_agent, transfer_body, wallet_balance


async def _fee_schedule(session: AsyncSession, kind: str, percent_bps: int, minimum: int) -> None:
    await session.execute(
        text(
            "INSERT INTO fee_schedules (id, entry_kind, percent_bps, fixed, minimum, tiers, effective_from)"
            " VALUES (gen_random_uuid(), :kind, :bps, 0, :minimum, '{}', now() - interval '1 minute')"
        ),
        {"kind": kind, "bps": percent_bps, "minimum": minimum},
    )
    await session.commit()


async def _fee_revenue(session: AsyncSession) -> int:
    return int(
        await session.scalar(text("SELECT sum(balance) FROM ledger_accounts WHERE kind = 'fee_revenue'"))
    )


async def test_a_fee_is_a_third_posting_to_fee_revenue(client: AsyncClient, session: AsyncSession) -> None:
    await _fee_schedule(session, "p2p_transfer", percent_bps=100, minimum=25)
    _, sender = await customer_funded_by_agent(client, 20_000)
    recipient, receiver = await active_customer(client)
    response = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 10_000), headers=bearer(sender)
    )
    assert response.json()["fee"] == 100
    assert await wallet_balance(client, sender) == 20_000 - 10_100
    assert await wallet_balance(client, receiver) == 10_000
    assert await _fee_revenue(session) == 100
    postings = await session.scalar(
        text("SELECT count(*) FROM postings WHERE entry_id = :id"), {"id": uuid.UUID(response.json()["id"])}
    )
    assert postings == 3
    assert await ledger_is_consistent(session)


async def test_a_quote_fixes_the_fee_and_must_match(client: AsyncClient, session: AsyncSession) -> None:
    await _fee_schedule(session, "p2p_transfer", percent_bps=200, minimum=0)
    _, sender = await customer_funded_by_agent(client, 20_000)
    recipient, _ = await active_customer(client)
    quote = (
        await client.post(
            "/api/v1/quotes", json={"kind": "p2p_transfer", "amount": 5_000}, headers=bearer(sender)
        )
    ).json()
    assert (quote["fee"], quote["total"]) == (100, 5_100)
    await _fee_schedule(session, "p2p_transfer", percent_bps=500, minimum=0)
    honoured = await client.post(
        "/api/v1/transfers",
        json={**transfer_body(recipient["phone"], 5_000), "quote_id": quote["id"]},
        headers=bearer(sender),
    )
    assert honoured.json()["fee"] == 100
    mismatch = await client.post(
        "/api/v1/transfers",
        json={**transfer_body(recipient["phone"], 6_000), "quote_id": quote["id"]},
        headers=bearer(sender),
    )
    assert (mismatch.status_code, mismatch.json()["code"]) == (400, "QUOTE_INVALID")


async def _cash_out_request(
    client: AsyncClient, amount: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    customer_body, customer = await customer_funded_by_agent(client, 10_000)
    _, agent = await staff_tokens(client, "agent")
    created = await client.post(
        "/api/v1/agent/cash-outs",
        json={"customer_phone": customer_body["phone"], "amount": amount},
        headers=bearer(agent),
    )
    assert created.status_code == 201, created.text
    return customer, agent, created.json()


async def test_a_cash_out_moves_money_only_once_the_customer_approves(client: AsyncClient) -> None:
    customer, _, request = await _cash_out_request(client, 4_000)
    assert request["status"] == "pending"
    assert await wallet_balance(client, customer) == 10_000
    pending = (await client.get("/api/v1/cash-outs", headers=bearer(customer))).json()
    assert [item["id"] for item in pending] == [request["id"]]
    phone = (await client.get("/api/v1/me", headers=bearer(customer))).json()["phone"]
    await support.run_worker_burst("notifications")
    texts = [m["body"] for m in (await client.get("/api/v1/sandbox/sms", params={"phone": phone})).json()]
    assert any("retrait de 4000 F" in body for body in texts)
    approvals = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/cash-outs/{request['id']}/approve", json={"pin": "4821"}, headers=bearer(customer)
            )
            for _ in range(3)
        )
    )
    assert sorted(a.status_code for a in approvals) == [201, 409, 409]
    assert await wallet_balance(client, customer) == 6_000
    assert (await client.get("/api/v1/cash-outs", headers=bearer(customer))).json() == []


async def test_a_declined_or_expired_cash_out_cannot_be_approved(
    client: AsyncClient, session: AsyncSession
) -> None:
    customer, _, declined = await _cash_out_request(client, 1_000)
    assert (
        await client.post(f"/api/v1/cash-outs/{declined['id']}/decline", headers=bearer(customer))
    ).status_code == 204
    late = await client.post(
        f"/api/v1/cash-outs/{declined['id']}/approve", json={"pin": "4821"}, headers=bearer(customer)
    )
    assert (late.status_code, late.json()["code"]) == (409, "CASH_OUT_NOT_PENDING")
    _, agent = await staff_tokens(client, "agent")
    me = (await client.get("/api/v1/me", headers=bearer(customer))).json()
    created = await client.post(
        "/api/v1/agent/cash-outs",
        json={"customer_phone": me["phone"], "amount": 1_000},
        headers=bearer(agent),
    )
    await session.execute(text("UPDATE cash_out_requests SET expires_at = now() - interval '1 second'"))
    await session.commit()
    expired = await client.post(
        f"/api/v1/cash-outs/{created.json()['id']}/approve", json={"pin": "4821"}, headers=bearer(customer)
    )
    assert expired.status_code == 409
    assert await wallet_balance(client, customer) == 10_000


async def test_someone_elses_cash_out_is_not_found(client: AsyncClient) -> None:
    _, _, request = await _cash_out_request(client, 1_000)
    _, stranger = await active_customer(client)
    response = await client.post(
        f"/api/v1/cash-outs/{request['id']}/approve", json={"pin": "4821"}, headers=bearer(stranger)
    )
    assert response.status_code == 404


async def test_a_reversal_restores_balances_and_marks_the_original(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, admin = await staff_tokens(client, "admin")
    _, sender = await customer_funded_by_agent(client, 10_000)
    recipient, receiver = await active_customer(client)
    entry = (
        await client.post(
            "/api/v1/transfers", json=transfer_body(recipient["phone"], 3_000), headers=bearer(sender)
        )
    ).json()
    reversal = await client.post(
        f"/api/v1/admin/entries/{entry['id']}/reversal",
        json={"reason": "Erreur de destinataire"},
        headers=bearer(admin),
    )
    assert reversal.status_code == 201, reversal.text
    assert reversal.json()["kind"] == "reversal"
    assert (await wallet_balance(client, sender), await wallet_balance(client, receiver)) == (10_000, 0)
    detail = await client.get(f"/api/v1/wallet/transactions/{entry['reference']}", headers=bearer(sender))
    assert detail.json()["status"] == "reversed"
    again = await client.post(
        f"/api/v1/admin/entries/{entry['id']}/reversal", json={"reason": "encore"}, headers=bearer(admin)
    )
    assert (again.status_code, again.json()["code"]) == (409, "ALREADY_REVERSED")
    assert await ledger_is_consistent(session)


async def test_reconciliation_proves_the_ledger_and_raises_the_alarm(session: AsyncSession) -> None:
    wallet = await customer_wallet(session)
    await issue(session, wallet, 5_000)
    async with support.services_over(session) as services:
        service = services.ledger_admin_service
        assert (await service.reconcile()).balanced
        await session.execute(
            text("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = :id"), {"id": wallet}
        )
        await session.commit()
        result = await service.reconcile()
    assert not result.balanced
    assert [account for account, *_ in result.mismatches] == [wallet]
    failures = "SELECT count(*) FROM audit_events WHERE action = 'ledger.reconciliation_failed'"
    assert await session.scalar(text(failures)) == 1
