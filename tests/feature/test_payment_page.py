"""The hosted payment page and its status poll, over HTTP."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from tests.merchant_support import funded_customer, merchant_with_key


async def test_the_page_shows_the_merchant_amount_qr_and_code_but_not_the_customer(
    client: AsyncClient,
) -> None:
    _, headers, _ = await merchant_with_key(client)
    customer, _ = await funded_customer(client, 0)
    created = await client.post(
        "/api/v1/merchant/payment-requests",
        json={"amount": 5000, "customer_phone": customer["phone"], "description": "Panier n°12"},
        headers=headers,
    )
    request = created.json()
    page = await client.get(f"/pay/{request['id']}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    for expected in (
        "Boutique Ndiaye",
        "5 000 F CFA",
        "<svg",
        request["payment_code"],
        "En attente de paiement",
    ):
        assert expected in html
    assert customer["e164"] not in html
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    status = (await client.get(f"/pay/{request['id']}/status")).json()
    assert (status["status"], status["amount"], status["status_text"]) == (
        "pending",
        5000,
        "En attente de paiement…",
    )
    assert "customer_phone" not in status


async def test_an_unknown_request_gets_a_404_page(client: AsyncClient) -> None:
    page = await client.get(f"/pay/{uuid.uuid4()}")
    assert page.status_code == 404
    assert "Demande de paiement introuvable" in page.text
