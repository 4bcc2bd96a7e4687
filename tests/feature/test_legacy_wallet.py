"""The Laravel-era wallet routes: shapes, messages and status codes of LEGACY_API.md."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient

from tests import support
from tests.feature.test_legacy_auth import legacy_customer
from tests.identity import latest_code

ROW_FIELDS = {"id", "type", "montant", "statut", "description", "reference", "date_operation"}


async def legacy_user(client: AsyncClient) -> tuple[dict[str, Any], dict[str, str]]:
    body = legacy_customer()
    await client.post("/api/auth/register", json=body)
    code = await latest_code(client, body["telephone"])
    verified = await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": code})
    return body, {"Authorization": f"Bearer {verified.json()['data']['tokens']['access_token']}"}


async def test_balance_has_the_legacy_shape(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    response = await client.get("/api/ompay/balance", headers=headers)
    body = response.json()
    assert body["message"] == "Solde récupéré avec succès"
    assert set(body["data"]) == {"compte_id", "numero_compte", "solde", "devise", "date_consultation"}
    assert (body["data"]["solde"], body["data"]["devise"]) == (0, "FCFA")


async def test_deposit_and_withdraw_are_self_service_cash(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    deposit = await client.post(
        "/api/ompay/deposit", json={"amount": 5000, "description": "Salaire"}, headers=headers
    )
    assert deposit.json()["message"] == "Dépôt effectué avec succès"
    transaction = deposit.json()["data"]["transaction"]
    assert set(transaction) == ROW_FIELDS
    assert (transaction["type"], transaction["montant"], transaction["statut"]) == ("depot", 5000, "reussi")
    assert deposit.json()["data"]["reference"] == transaction["reference"]
    withdraw = await client.post("/api/ompay/withdraw", json={"amount": 1500.0}, headers=headers)
    assert withdraw.json()["message"] == "Retrait effectué avec succès"
    assert withdraw.json()["data"]["transaction"]["type"] == "retrait"
    assert (await client.get("/api/ompay/balance", headers=headers)).json()["data"]["solde"] == 3500


async def test_withdrawing_too_much_is_the_legacy_400(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    response = await client.post("/api/ompay/withdraw", json={"amount": 100}, headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "message": "Solde insuffisant pour effectuer cette opération",
        "errors": None,
    }


@pytest.mark.parametrize(
    ("path", "amount", "message"),
    [
        ("/api/ompay/deposit", 100.5, "Le montant doit être un nombre entier de FCFA (sans décimales)."),
        ("/api/ompay/deposit", "100.5", "Le montant doit être un nombre entier de FCFA (sans décimales)."),
        ("/api/ompay/transfer", "mille", "Le montant doit être un nombre."),
        ("/api/ompay/deposit", 99, "Le montant minimum est de 100 FCFA."),
        ("/api/ompay/withdraw", 1_000_001, "Le montant maximum est de 1 000 000 FCFA."),
    ],
)
async def test_bad_amounts_are_422_on_amount(
    client: AsyncClient, path: str, amount: object, message: str
) -> None:
    _, headers = await legacy_user(client)
    body = {"amount": amount, "recipient_telephone": "781111119"}
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"amount": [message]}


async def test_amounts_keep_laravels_numeric_leniency(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    for amount in (1000, 1000.0, "1000"):
        response = await client.post("/api/ompay/deposit", json={"amount": amount}, headers=headers)
        assert response.json()["data"]["transaction"]["montant"] == 1000
    assert (await client.get("/api/ompay/balance", headers=headers)).json()["data"]["solde"] == 3000


async def test_transfer_shows_two_rows_sharing_the_reference(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    recipient, recipient_headers = await legacy_user(client)
    await client.post("/api/ompay/deposit", json={"amount": 10_000}, headers=headers)
    response = await client.post(
        "/api/ompay/transfer",
        json={"recipient_telephone": recipient["telephone"], "amount": 2500},
        headers=headers,
    )
    assert response.json()["message"] == "Transfert effectué avec succès"
    data = response.json()["data"]
    assert data["debit_transaction"]["reference"] == data["reference"] + "D"
    assert data["credit_transaction"]["reference"] == data["reference"] + "C"
    assert data["credit_transaction"]["montant"] == 2500
    assert (await client.get("/api/ompay/balance", headers=recipient_headers)).json()["data"]["solde"] == 2500


@pytest.mark.parametrize(("recipient", "status"), [("self", 400), ("781111119", 404)])
async def test_transfer_refusals(client: AsyncClient, recipient: str, status: int) -> None:
    sender, headers = await legacy_user(client)
    await client.post("/api/ompay/deposit", json={"amount": 10_000}, headers=headers)
    phone = sender["telephone"] if recipient == "self" else recipient
    response = await client.post(
        "/api/ompay/transfer", json={"recipient_telephone": phone, "amount": 500}, headers=headers
    )
    assert (response.status_code, response.json()["success"]) == (status, False)


async def test_transfer_to_an_inactive_recipient_is_400(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    pending = legacy_customer()
    await client.post("/api/auth/register", json=pending)
    await client.post("/api/ompay/deposit", json={"amount": 10_000}, headers=headers)
    response = await client.post(
        "/api/ompay/transfer",
        json={"recipient_telephone": pending["telephone"], "amount": 500},
        headers=headers,
    )
    assert (response.status_code, response.json()["message"]) == (
        400,
        "Le compte destinataire n'est pas actif",
    )


async def test_history_pages_and_filters_by_type(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    recipient, _ = await legacy_user(client)
    for amount in (1000, 2000, 3000):
        await client.post("/api/ompay/deposit", json={"amount": amount}, headers=headers)
    await client.post(
        "/api/ompay/transfer",
        json={"recipient_telephone": recipient["telephone"], "amount": 700},
        headers=headers,
    )
    page = (await client.get("/api/ompay/history", params={"page": 1, "per_page": 2}, headers=headers)).json()
    assert page["message"] == "Historique récupéré avec succès"
    assert page["data"]["pagination"] == {"current_page": 1, "per_page": 2, "total": 4, "last_page": 2}
    assert [row["type"] for row in page["data"]["transactions"]] == ["transfert", "depot"]
    deposits = (await client.get("/api/ompay/history", params={"type": "depot"}, headers=headers)).json()
    assert [row["montant"] for row in deposits["data"]["transactions"]] == [3000, 2000, 1000]
    assert deposits["data"]["pagination"]["per_page"] == 20  # the Laravel app's default page size


async def test_account_transactions_only_for_own_accounts(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    _, other_headers = await legacy_user(client)
    await client.post("/api/ompay/deposit", json={"amount": 1000}, headers=headers)
    account_id = (await client.get("/api/ompay/balance", headers=headers)).json()["data"]["compte_id"]
    mine = await client.get(f"/api/ompay/transactions/{account_id}", headers=headers)
    theirs = await client.get(f"/api/ompay/transactions/{account_id}", headers=other_headers)
    assert mine.json()["message"] == "Historique récupéré avec succès"
    assert [row["montant"] for row in mine.json()["data"]] == [1000]
    assert theirs.status_code == 404
    assert theirs.json() == {
        "success": False,
        "message": "Compte non trouvé ou accès non autorisé.",
        "errors": None,
    }


async def test_dashboard_has_user_account_and_last_transactions(client: AsyncClient) -> None:
    body, headers = await legacy_user(client)
    await client.post("/api/ompay/deposit", json={"amount": 1000}, headers=headers)
    data = (await client.get("/api/dashboard", headers=headers)).json()["data"]
    assert data["user"] == {
        "nom": body["nom"],
        "prenom": body["prenom"],
        "telephone": body["telephone"],
        "email": None,
    }
    assert (data["compte"]["statut"], data["compte"]["solde"], data["compte"]["devise"]) == (
        "actif",
        1000,
        "FCFA",
    )
    assert len(data["transactions"]) == 1


async def test_fifty_parallel_withdrawals_with_funds_for_ten(client: AsyncClient) -> None:
    _, headers = await legacy_user(client)
    await client.post("/api/ompay/deposit", json={"amount": 1000}, headers=headers)
    responses = await asyncio.gather(
        *(client.post("/api/ompay/withdraw", json={"amount": 100}, headers=headers) for _ in range(50))
    )
    assert sorted(r.status_code for r in responses) == [200] * 10 + [400] * 40
    assert (await client.get("/api/ompay/balance", headers=headers)).json()["data"]["solde"] == 0


async def test_legacy_wallet_routes_are_limited_per_user() -> None:
    async with support.app_with_env(USER_RATE_LIMIT_PER_MINUTE="3") as client:
        _, headers = await legacy_user(client)
        _, other = await legacy_user(client)
        mine = [(await client.get("/api/ompay/balance", headers=headers)).status_code for _ in range(4)]
        theirs = (await client.get("/api/ompay/balance", headers=other)).status_code
    assert mine == [200, 200, 200, 429]
    assert theirs == 200
