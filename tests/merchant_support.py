"""Merchant flows used across tests, over HTTP: onboarding, API keys, funded customers."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.identity import active_customer, bearer, e164, staff_tokens

ALL_SCOPES = [
    "payments:write",
    "payments:read",
    "refunds:write",
    "webhooks:manage",
    "balance:read",
    "reports:read",
]
PIN = "4821"


def merchant_body(owner_phone: str, trade_name: str = "Boutique Ndiaye") -> dict[str, Any]:
    """What an admin sends to onboard a merchant owned by `owner_phone`."""
    return {
        "business_name": f"{trade_name} SARL",
        "trade_name": trade_name,
        "category": "grocery",
        "owner_phone": owner_phone,
        "ninea": "0123456789",
    }


async def onboard(
    client: AsyncClient, owner_phone: str, *, approve: bool = True, trade_name: str = "Boutique Ndiaye"
) -> dict[str, Any]:
    _, admin = await staff_tokens(client, "admin")
    body = merchant_body(owner_phone, trade_name)
    created = await client.post("/api/v1/admin/merchants", json=body, headers=bearer(admin))
    assert created.status_code == 201, created.text
    merchant: dict[str, Any] = created.json()
    if approve:
        approved = await client.post(
            f"/api/v1/admin/merchants/{merchant['id']}/approve", headers=bearer(admin)
        )
        assert approved.status_code == 200, approved.text
        merchant = approved.json()
    return merchant


async def merchant_with_key(
    client: AsyncClient, scopes: list[str] | None = None, **onboarding: Any
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """An approved merchant; returns (merchant, API-key headers, owner tokens)."""
    owner, owner_tokens = await active_customer(client)
    merchant = await onboard(client, owner["phone"], **onboarding)
    created = await client.post(
        "/api/v1/merchant/api-keys",
        json={"name": "server", "scopes": scopes or ALL_SCOPES},
        headers=bearer(owner_tokens),
    )
    assert created.status_code == 201, created.text
    return merchant, {"Authorization": f"Bearer {created.json()['secret']}"}, owner_tokens


async def funded_customer(client: AsyncClient, amount: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """An active customer with a PIN and `amount` of sandbox e-money."""
    body, tokens = await active_customer(client)
    if amount:
        funded = await client.post(f"/api/v1/sandbox/wallets/{body['phone']}/fund", json={"amount": amount})
        assert funded.status_code == 201, funded.text
    assert (await client.post("/api/v1/me/pin", json={"pin": PIN}, headers=bearer(tokens))).status_code == 204
    body["e164"] = e164(body["phone"])
    return body, tokens
