"""A customer's own data export, and an officer closing an account (COMPLIANCE.md, retention)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient, Response

from tests import support
from tests.feature.test_kyc_documents import REVIEW, checked_submission
from tests.feature.test_validation_language import problem_errors
from tests.identity import PASSWORD, active_customer, bearer, e164, staff_tokens
from tests.merchant_support import onboard
from tests.money_support import customer_funded_by_agent, transfer_body, wallet_balance

USERS = "/api/v1/admin/users"


async def _close(
    client: AsyncClient, user_id: object, payload: dict[str, Any], staff: dict[str, Any]
) -> Response:
    return await client.post(f"{USERS}/{user_id}/close", json=payload, headers=bearer(staff))


async def _user_id(client: AsyncClient, tokens: dict[str, Any]) -> str:
    return str((await client.get("/api/v1/me", headers=bearer(tokens))).json()["id"])


async def test_the_export_holds_my_own_data_and_nothing_internal(client: AsyncClient) -> None:
    body, tokens, submission_id = await checked_submission(client)
    _, officer = await staff_tokens(client, "compliance_officer")
    rejected = await client.post(
        f"{REVIEW}/{submission_id}/reject", json={"reason": "suspected_fraud"}, headers=bearer(officer)
    )
    assert rejected.status_code == 200, rejected.text
    sender, sender_tokens = await customer_funded_by_agent(client, 20_000)
    sent = await client.post(
        "/api/v1/transfers", json=transfer_body(body["phone"], 5_000), headers=bearer(sender_tokens)
    )
    assert sent.status_code == 201, sent.text

    response = await client.get("/api/v1/me/export", headers=bearer(tokens))
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith('attachment; filename="ompay-mes-donnees-')
    export = response.json()
    profile = export["profile"]
    assert (profile["phone"], profile["national_id"], profile["birth_date"]) == (
        e164(body["phone"]),
        body["national_id"],
        body["birth_date"],
    )
    [submission] = export["kyc_submissions"]
    assert (submission["status"], submission["document_number"]) == ("rejected", "1990051700123")
    assert "fraud" not in response.text
    assert not {"reject_reason", "checks_outcome", "decided_by"} & set(submission)
    [credit] = export["transactions"]
    assert (credit["reference"], credit["kind"]) == (sent.json()["reference"], "p2p_transfer")
    assert (credit["signed_amount"], credit["balance_after"]) == (5_000, 5_000)
    assert export["accounts"][0]["balance"] == 5_000
    exported = await support.query_value(
        "SELECT changes FROM audit_events WHERE action = 'me.data_exported' AND target_id = $1",
        profile["id"],
    )
    assert exported is not None
    assert sender["phone"] not in str(exported)


async def test_an_officer_closes_an_empty_account_and_its_holder_is_signed_out(client: AsyncClient) -> None:
    body, tokens = await active_customer(client)
    user_id = await _user_id(client, tokens)
    officer_id, officer = await staff_tokens(client, "compliance_officer")
    closed = await _close(client, user_id, {"reason": "Demande du client"}, officer)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert len(closed.json()["accounts"]) == 1
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    login = await client.post("/api/v1/auth/login", json={"phone": body["phone"], "password": PASSWORD})
    assert login.status_code >= 400
    account_status = await support.query_value(
        "SELECT status FROM ledger_accounts WHERE owner_id = $1", UUID(user_id)
    )
    assert account_status == "closed"
    audited = await support.query_value(
        "SELECT actor_id || ' ' || (changes->>'reason') FROM audit_events "
        "WHERE action = 'user.closed' AND target_id = $1",
        user_id,
    )
    assert audited == f"{officer_id} Demande du client"
    again = await _close(client, user_id, {"reason": "encore"}, officer)
    assert again.status_code == 409


async def test_money_no_longer_reaches_a_closed_account(client: AsyncClient) -> None:
    body, tokens = await active_customer(client)
    _, admin = await staff_tokens(client, "admin")
    user_id = await _user_id(client, tokens)
    closed = await _close(client, user_id, {"reason": "Décès"}, admin)
    assert closed.status_code == 200, closed.text
    _, sender_tokens = await customer_funded_by_agent(client, 10_000)
    refused = await client.post(
        "/api/v1/transfers", json=transfer_body(body["phone"], 1_000), headers=bearer(sender_tokens)
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "RECIPIENT_INACTIVE")
    assert await wallet_balance(client, sender_tokens) == 10_000


async def test_approving_or_suspending_a_closed_owners_merchant_never_reopens_its_wallet(
    client: AsyncClient,
) -> None:
    owner, owner_tokens = await active_customer(client)
    merchant = await onboard(client, owner["phone"])
    _, admin = await staff_tokens(client, "admin")
    closed = await _close(client, await _user_id(client, owner_tokens), {"reason": "Cessation"}, admin)
    assert closed.status_code == 200, closed.text
    wallet_status = "SELECT status FROM ledger_accounts WHERE kind = 'merchant_wallet'"
    assert await support.query_value(wallet_status) == "closed"
    for action in ("suspend", "approve"):
        moved = await client.post(f"/api/v1/admin/merchants/{merchant['id']}/{action}", headers=bearer(admin))
        assert moved.status_code == 200, moved.text
        assert await support.query_value(wallet_status) == "closed"


async def test_an_account_holding_money_is_not_closed(client: AsyncClient) -> None:
    _, tokens = await customer_funded_by_agent(client, 3_000)
    _, officer = await staff_tokens(client, "compliance_officer")
    user_id = await _user_id(client, tokens)
    refused = await client.post(
        f"{USERS}/{user_id}/close", json={"reason": "Fraude"}, headers=bearer(officer)
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "BALANCE_NOT_ZERO")
    assert len(refused.json()["accounts"]) == 1
    assert await wallet_balance(client, tokens) == 3_000
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).json()["status"] == "active"


@pytest.mark.parametrize(
    ("role", "payload", "status"),
    [
        ("support", {"reason": "Demande du client"}, 403),
        ("compliance_officer", {"reason": "  "}, 422),
        ("compliance_officer", {}, 422),
        ("compliance_officer", {"reason": "x" * 501}, 422),
    ],
)
async def test_closing_needs_an_officer_and_a_reason(
    client: AsyncClient, role: str, payload: dict[str, Any], status: int
) -> None:
    _, tokens = await active_customer(client)
    _, staff = await staff_tokens(client, role)
    user_id = await _user_id(client, tokens)
    response = await _close(client, user_id, payload, staff)
    assert response.status_code == status, response.text
    if status == 422:
        assert set(problem_errors(response)) == {"reason"}
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).json()["status"] == "active"


async def test_closing_an_unknown_user_is_not_found(client: AsyncClient) -> None:
    _, officer = await staff_tokens(client, "compliance_officer")
    response = await client.post(
        f"{USERS}/{uuid4()}/close", json={"reason": "Doublon"}, headers=bearer(officer)
    )
    assert response.status_code == 404
