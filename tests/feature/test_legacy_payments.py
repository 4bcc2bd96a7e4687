"""Legacy POST /api/paiement/marchand keeps the Laravel contract (LEGACY_API.md)."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.identity import bearer
from tests.merchant_support import funded_customer, merchant_with_key, onboard


async def _pay(client: AsyncClient, tokens: dict[str, Any], code: str, amount: int) -> Any:
    return await client.post(
        "/api/paiement/marchand", json={"code_marchand": code, "montant": amount}, headers=bearer(tokens)
    )


async def test_paying_a_merchant_answers_the_legacy_shape(client: AsyncClient) -> None:
    merchant, _, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    response = await _pay(client, tokens, merchant["code"].lower(), 4500)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["success"], body["message"]) == (True, "Paiement effectué avec succès")
    data = body["data"]
    assert (data["montant"], data["code_marchand"], data["solde_client"]) == (4500, merchant["code"], 15_500)
    assert data["reference"].startswith("OMP-")
    assert (data["debit_transaction"]["type"], data["debit_transaction"]["montant"]) == ("paiement", 4500)
    assert data["credit_transaction"]["statut"] == "reussi"


async def test_legacy_refusals_keep_their_messages(client: AsyncClient) -> None:
    merchant, _, owner_tokens = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 1000)
    unknown = await _pay(client, tokens, "MCH00000000", 500)
    assert unknown.status_code == 422
    assert list(unknown.json()["errors"]) == ["code_marchand"]
    too_small = await _pay(client, tokens, merchant["code"], 99)
    assert (too_small.status_code, list(too_small.json()["errors"])) == (422, ["montant"])
    poor = await _pay(client, tokens, merchant["code"], 5000)
    assert (poor.status_code, poor.json()["message"]) == (
        400,
        "Solde insuffisant pour effectuer cette opération",
    )
    own = await _pay(client, owner_tokens, merchant["code"], 500)
    assert (own.status_code, own.json()["message"]) == (400, "Impossible de payer son propre compte marchand")
    owner, _ = await funded_customer(client, 0)
    pending = await onboard(client, owner["phone"], approve=False)
    inactive = await _pay(client, tokens, pending["code"], 500)
    assert (inactive.status_code, inactive.json()["message"]) == (400, "Le compte marchand n'est pas actif")
