"""KYC tiers over HTTP: the wallet shows limits and headroom; refusals never reveal another's balance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests import support
from tests.feature.test_legacy_wallet import legacy_user
from tests.identity import active_customer, bearer, e164, staff_tokens
from tests.money_support import customer_funded_by_agent, transfer_body, wallet_balance

LIMITS = "/api/v1/admin/kyc/limits"


async def test_the_wallet_shows_the_tier_each_limit_and_its_headroom(client: AsyncClient) -> None:
    _, tokens = await customer_funded_by_agent(client, 50_000)
    wallet = (await client.get("/api/v1/wallet", headers=bearer(tokens))).json()
    assert wallet["tier"] == "tier0"
    assert wallet["limits"] == {
        "max_balance": {"limit": 200_000, "headroom": 150_000},
        "max_monthly_credits": {"limit": 200_000, "headroom": 150_000},
        "max_per_transaction": {"limit": 100_000, "headroom": 100_000},
    }
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).json()["tier"] == "tier0"


async def refusals_logged() -> list[list[str]]:
    """What the compliance pack will count: each refusal, logged although its transaction rolled back."""
    rows = await support.query_value(
        "SELECT coalesce(array_agg(array[\"limit\", coalesce(entry_kind, ''), amount::text]), '{}') "
        "FROM limit_refusals"
    )
    return [list(row) for row in rows]


async def test_over_my_per_transaction_max_names_the_limit_and_headroom(client: AsyncClient) -> None:
    sender, sender_tokens = await customer_funded_by_agent(client, 100_000)
    _, friend = await customer_funded_by_agent(client, 100_000)
    topped_up = await client.post(
        "/api/v1/transfers", json=transfer_body(sender["phone"], 50_000), headers=bearer(friend)
    )
    assert topped_up.status_code == 201, topped_up.text
    recipient, _ = await active_customer(client)
    refused = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 120_000), headers=bearer(sender_tokens)
    )
    assert refused.status_code == 400, refused.text
    problem = refused.json()
    assert (problem["code"], problem["limit"], problem["headroom"]) == (
        "LIMIT_EXCEEDED",
        "max_per_transaction",
        100_000,
    )
    assert problem["detail"] == "Montant maximum : 100 000 FCFA"
    assert await refusals_logged() == [["max_per_transaction", "", "120000"]]  # refused at the gate


async def test_a_transfer_to_a_recipient_near_the_cap_never_reveals_their_room(client: AsyncClient) -> None:
    _, first_sender = await customer_funded_by_agent(client, 100_000)
    _, second_sender = await customer_funded_by_agent(client, 100_000)
    recipient, receiver = await customer_funded_by_agent(client, 100_000)
    to_recipient = transfer_body(recipient["phone"], 60_000)
    sent = await client.post("/api/v1/transfers", json=to_recipient, headers=bearer(first_sender))
    assert sent.status_code == 201, sent.text
    over = transfer_body(recipient["phone"], 40_001)
    refused = await client.post("/api/v1/transfers", json=over, headers=bearer(second_sender))
    problem = refused.json()
    assert (refused.status_code, problem["code"], problem["limit"]) == (400, "LIMIT_EXCEEDED", "counterparty")
    assert "headroom" not in problem
    assert problem["detail"] == "Le compte du bénéficiaire ne peut pas recevoir ce montant"
    assert await wallet_balance(client, second_sender) == 100_000
    assert await wallet_balance(client, receiver) == 160_000
    assert await refusals_logged() == [["counterparty", "p2p_transfer", "40001"]]  # in the transaction


async def test_legacy_deposit_over_the_cap_is_a_french_legacy_400(
    client: AsyncClient,
) -> None:
    _, headers = await legacy_user(client)
    for _ in range(2):
        deposit = await client.post("/api/ompay/deposit", json={"amount": 95_000}, headers=headers)
        assert deposit.status_code in (200, 201), deposit.text
    refused = await client.post("/api/ompay/deposit", json={"amount": 20_000}, headers=headers)
    assert refused.status_code == 400
    assert refused.json() == {
        "success": False,
        "message": "Plafond de solde atteint : le compte peut encore recevoir 10 000 FCFA",
        "errors": None,
    }


async def test_an_officer_adds_a_limits_version_and_it_applies_at_once(client: AsyncClient) -> None:
    _, officer = await staff_tokens(client, "compliance_officer")
    _, tokens = await customer_funded_by_agent(client, 50_000)
    version = {
        "tier": "tier0",
        "max_balance": 300_000,
        "max_monthly_credits": 250_000,
        "max_per_transaction": None,
    }
    added = await client.post(LIMITS, json=version, headers=bearer(officer))
    assert (added.status_code, added.json()["version"]) == (201, 2), added.text
    limits = (await client.get("/api/v1/wallet", headers=bearer(tokens))).json()["limits"]
    assert limits["max_balance"] == {"limit": 300_000, "headroom": 250_000}
    assert limits["max_per_transaction"] == {"limit": None, "headroom": None}
    versions = (await client.get(f"{LIMITS}/versions?tier=tier0", headers=bearer(officer))).json()
    assert [(row["version"], row["max_balance"]) for row in versions] == [(2, 300_000), (1, 200_000)]


async def test_limits_versions_are_never_backdated_and_support_cannot_add_one(client: AsyncClient) -> None:
    _, officer = await staff_tokens(client, "compliance_officer")
    _, support_staff = await staff_tokens(client, "support")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    version = {"tier": "tier1", "max_balance": 1, "max_monthly_credits": 1, "max_per_transaction": 1}
    backdated = await client.post(
        LIMITS, json={**version, "effective_from": yesterday}, headers=bearer(officer)
    )
    naive = await client.post(
        LIMITS, json={**version, "effective_from": "2030-01-01T00:00:00"}, headers=bearer(officer)
    )
    by_support = await client.post(LIMITS, json=version, headers=bearer(support_staff))
    assert backdated.status_code == naive.status_code == 422
    assert backdated.json()["errors"][0]["field"] == naive.json()["errors"][0]["field"] == "effective_from"
    assert by_support.status_code == 403
    shown = (await client.get(LIMITS, headers=bearer(support_staff))).json()
    assert {row["tier"]: row["version"] for row in shown} == {
        "tier0": 1,
        "tier1": 1,
        "merchant": 1,
        "agent": 1,
    }


async def test_the_gate_refuses_an_amount_over_my_max_before_my_pin_is_checked(client: AsyncClient) -> None:
    _, sender = await customer_funded_by_agent(client, 100_000)
    recipient, _ = await active_customer(client)
    over = transfer_body(recipient["phone"], 150_000, pin="0000")
    for _ in range(4):
        refused = await client.post("/api/v1/transfers", json=over, headers=bearer(sender))
        assert (refused.status_code, refused.json()["code"]) == (400, "LIMIT_EXCEEDED")
    fits = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=bearer(sender)
    )
    assert fits.status_code == 201, fits.text


async def test_a_frozen_wallet_is_refused_at_the_gate_with_the_generic_message(client: AsyncClient) -> None:
    sender, tokens = await customer_funded_by_agent(client, 10_000)
    recipient, _ = await active_customer(client)
    legacy_body, legacy_headers = await legacy_user(client)
    for phone in (sender["phone"], legacy_body["telephone"]):
        await freeze_wallet_of(phone)
    v1 = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000, pin="0000"), headers=bearer(tokens)
    )
    assert (v1.status_code, v1.json()["code"]) == (400, "ACCOUNT_INACTIVE")
    legacy = await client.post("/api/ompay/deposit", json={"amount": 1_000}, headers=legacy_headers)
    assert legacy.status_code == 400
    assert legacy.json()["message"] == "Le compte n'est pas actif"


async def freeze_wallet_of(phone: str) -> None:
    """As the AML freeze will: the wallet's status, set outside the app."""
    await support.execute_sql(
        "UPDATE ledger_accounts SET status = 'frozen' WHERE owner_id = "
        f"(SELECT id FROM users WHERE phone = '{e164(phone)}')"
    )
