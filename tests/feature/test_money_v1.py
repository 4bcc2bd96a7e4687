"""Money through /api/v1: float funding, cash-in, P2P transfers, history, idempotency."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from tests.identity import active_customer, bearer, register, staff_tokens
from tests.money_support import customer_funded_by_agent, transfer_body, wallet_balance


async def test_cash_in_then_transfer_moves_money_exactly(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 50_000)
    recipient, receiver = await active_customer(client)
    response = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 12_500), headers=bearer(sender)
    )
    assert response.status_code == 201, response.text
    entry = response.json()
    assert entry["reference"].startswith("OMP-")
    assert (entry["kind"], entry["amount"], entry["fee"], entry["currency"]) == (
        "p2p_transfer",
        12_500,
        0,
        "XOF",
    )
    assert await wallet_balance(client, sender) == 37_500
    assert await wallet_balance(client, receiver) == 12_500


async def test_the_recipient_lookup_masks_the_name(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 1_000, pin=None)
    recipient, _ = await active_customer(client, first_name="Mariama", last_name="Ba")
    pending, _ = await register(client)
    found = await client.post(
        "/api/v1/lookups/phone", json={"phone": recipient["phone"]}, headers=bearer(sender)
    )
    dormant = await client.post(
        "/api/v1/lookups/phone", json={"phone": pending["phone"]}, headers=bearer(sender)
    )
    assert found.json() == {"masked_name": "Mariama B.", "can_receive": True}
    assert dormant.json()["can_receive"] is False


@pytest.mark.parametrize(
    ("amount", "recipient_kind", "pin", "status", "code"),
    [
        (60_000, "active", "4821", 400, "INSUFFICIENT_FUNDS"),
        (1_000, "self", "4821", 400, "SELF_TRANSFER"),
        (1_000, "unknown", "4821", 404, "RECIPIENT_NOT_FOUND"),
        (1_000, "pending", "4821", 400, "RECIPIENT_INACTIVE"),
        (1_000, "active", "9063", 400, "PIN_INCORRECT"),
        (50, "active", "4821", 400, "LIMIT_EXCEEDED"),
    ],
)
async def test_refused_transfers_say_why_and_move_nothing(
    client: AsyncClient, amount: int, recipient_kind: str, pin: str, status: int, code: str
) -> None:
    sender_body, sender = await customer_funded_by_agent(client, 50_000)
    recipients = {
        "active": (await active_customer(client))[0]["phone"],
        "self": sender_body["phone"],
        "unknown": "779999998",
        "pending": (await register(client))[0]["phone"],
    }
    response = await client.post(
        "/api/v1/transfers",
        json=transfer_body(recipients[recipient_kind], amount, pin),
        headers=bearer(sender),
    )
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert await wallet_balance(client, sender) == 50_000


async def test_money_amounts_must_be_whole_francs(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 5_000)
    recipient, _ = await active_customer(client)
    body = {**transfer_body(recipient["phone"], 100), "amount": 100.5}
    response = await client.post("/api/v1/transfers", json=body, headers=bearer(sender))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"


async def test_an_idempotency_key_replays_and_refuses_another_body(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 10_000)
    recipient, receiver = await active_customer(client)
    headers = {**bearer(sender), "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=headers
    )
    again = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=headers
    )
    other = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 2_000), headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.json() == first.json()
    assert (other.status_code, other.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert await wallet_balance(client, receiver) == 1_000


async def test_only_agents_cash_in_and_only_admins_fund_floats(client: AsyncClient) -> None:
    body, customer = await active_customer(client)
    cash_in = await client.post(
        "/api/v1/agent/cash-ins",
        json={"customer_phone": body["phone"], "amount": 1_000},
        headers=bearer(customer),
    )
    agent_id, agent = await staff_tokens(client, "agent")
    funding = await client.post(
        "/api/v1/admin/float-fundings", json={"agent_id": agent_id, "amount": 1_000}, headers=bearer(agent)
    )
    assert (cash_in.status_code, funding.status_code) == (403, 403)


async def test_an_agent_cannot_cash_in_beyond_their_float(client: AsyncClient) -> None:
    body, _ = await active_customer(client)
    _, agent = await staff_tokens(client, "agent")
    response = await client.post(
        "/api/v1/agent/cash-ins",
        json={"customer_phone": body["phone"], "amount": 1_000},
        headers=bearer(agent),
    )
    assert (response.status_code, response.json()["code"]) == (400, "INSUFFICIENT_FUNDS")


async def test_history_pages_filters_and_details(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 100_000)
    recipient, receiver = await active_customer(client)
    for amount in range(1_000, 13_000, 1_000):
        await client.post(
            "/api/v1/transfers", json=transfer_body(recipient["phone"], amount), headers=bearer(sender)
        )
    first = (
        await client.get("/api/v1/wallet/transactions", params={"limit": 5}, headers=bearer(sender))
    ).json()
    assert (len(first["data"]), first["has_more"]) == (5, True)
    assert [line["amount"] for line in first["data"]] == [12_000, 11_000, 10_000, 9_000, 8_000]
    rest = await client.get(
        "/api/v1/wallet/transactions",
        params={"limit": 50, "starting_after": first["next_cursor"]},
        headers=bearer(sender),
    )
    assert [line["amount"] for line in rest.json()["data"]][-1] == 100_000
    assert rest.json()["has_more"] is False
    credits = await client.get(
        "/api/v1/wallet/transactions", params={"direction": "credit"}, headers=bearer(sender)
    )
    assert [line["kind"] for line in credits.json()["data"]] == ["cash_in"]
    big = await client.get(
        "/api/v1/wallet/transactions",
        params={"min_amount": 10_000, "max_amount": 11_000},
        headers=bearer(sender),
    )
    assert [line["amount"] for line in big.json()["data"]] == [11_000, 10_000]

    reference = first["data"][0]["reference"]
    mine = await client.get(f"/api/v1/wallet/transactions/{reference}", headers=bearer(receiver))
    assert (mine.json()["direction"], mine.json()["amount"]) == ("credit", 12_000)
    stranger = (await active_customer(client))[1]
    assert (
        await client.get(f"/api/v1/wallet/transactions/{reference}", headers=bearer(stranger))
    ).status_code == 404


async def test_the_statement_is_a_csv_of_the_period(client: AsyncClient) -> None:
    _, customer = await customer_funded_by_agent(client, 7_000, pin=None)
    response = await client.get(
        "/api/v1/wallet/statement",
        params={"from": "2020-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"},
        headers=bearer(customer),
    )
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0] == "date,reference,kind,direction,amount,balance_after,description"
    assert lines[1].split(",")[2:6] == ["cash_in", "credit", "7000", "7000"]
