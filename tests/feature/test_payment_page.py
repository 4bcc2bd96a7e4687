"""The hosted payment page and its status poll, over HTTP."""

from __future__ import annotations

import re

import pytest
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
    svg = re.search(r"<svg[^>]*>", html)
    assert svg, html
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg.group(0)), "the QR scales to its box (and so is centred)"
    assert "width=" not in svg.group(0)
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


UNKNOWN_ID = "0191d5a2-7c3e-7b1a-9f00-000000000000"


@pytest.mark.parametrize("request_id", [UNKNOWN_ID, "not-a-request", "12345", "%00"])
async def test_an_unknown_or_malformed_request_gets_the_styled_404_page(
    client: AsyncClient, request_id: str
) -> None:
    page = await client.get(f"/pay/{request_id}")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Demande de paiement introuvable" in page.text
    assert "script-src 'nonce-" in page.headers["content-security-policy"]


@pytest.mark.parametrize("request_id", [UNKNOWN_ID, "not-a-request"])
async def test_the_status_of_an_unknown_or_malformed_request_is_a_404(
    client: AsyncClient, request_id: str
) -> None:
    status = await client.get(f"/pay/{request_id}/status")
    assert (status.status_code, status.json()["code"]) == (404, "NOT_FOUND")
