"""Merchant onboarding and review, API keys (shown once, scoped, revocable, rotatable, IP-bound)."""

from __future__ import annotations

import re

from httpx import AsyncClient

from tests import support
from tests.feature.test_legacy_auth import legacy_customer
from tests.identity import active_customer, bearer, staff_tokens
from tests.merchant_support import merchant_body, merchant_with_key, onboard


async def test_an_onboarded_merchant_waits_for_review_then_is_approved_and_suspended(
    client: AsyncClient,
) -> None:
    owner, _ = await active_customer(client)
    merchant = await onboard(client, owner["phone"], approve=False)
    assert merchant["status"] == "pending_review"
    assert re.fullmatch(r"MCH[A-Z0-9]{8}", merchant["code"])
    _, admin = await staff_tokens(client, "admin")
    path = f"/api/v1/admin/merchants/{merchant['id']}"
    assert (await client.post(f"{path}/approve", headers=bearer(admin))).json()["status"] == "active"
    again = await client.post(f"{path}/approve", headers=bearer(admin))
    assert (again.status_code, again.json()["code"]) == (409, "MERCHANT_STATE_CONFLICT")
    assert (await client.post(f"{path}/suspend", headers=bearer(admin))).json()["status"] == "suspended"
    assert (await client.get(path, headers=bearer(admin))).json()["suspended_at"] is not None


async def test_only_admins_onboard_and_the_owner_must_exist(client: AsyncClient) -> None:
    owner, customer = await active_customer(client)
    body = merchant_body(owner["phone"])
    assert (
        await client.post("/api/v1/admin/merchants", json=body, headers=bearer(customer))
    ).status_code == 403
    _, admin = await staff_tokens(client, "admin")
    unknown = await client.post(
        "/api/v1/admin/merchants", json={**body, "owner_phone": "779999998"}, headers=bearer(admin)
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "owner_phone"


async def test_admin_adds_staff_once(client: AsyncClient) -> None:
    owner, _ = await active_customer(client)
    staff, _ = await active_customer(client)
    merchant = await onboard(client, owner["phone"])
    _, admin = await staff_tokens(client, "admin")
    path = f"/api/v1/admin/merchants/{merchant['id']}/staff"
    added = await client.post(path, json={"phone": staff["phone"]}, headers=bearer(admin))
    assert (added.status_code, added.json()["role"]) == (201, "staff")
    twice = await client.post(path, json={"phone": staff["phone"]}, headers=bearer(admin))
    assert (twice.status_code, twice.json()["errors"][0]["field"]) == (422, "phone")


async def test_an_api_key_is_shown_once_and_stored_only_as_a_keyed_hash(client: AsyncClient) -> None:
    owner, owner_tokens = await active_customer(client)
    await onboard(client, owner["phone"])
    created = await client.post(
        "/api/v1/merchant/api-keys",
        json={"name": "caisse", "scopes": ["balance:read"]},
        headers=bearer(owner_tokens),
    )
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("ompay_sk_")
    assert len(secret) > 40
    listed = (await client.get("/api/v1/merchant/api-keys", headers=bearer(owner_tokens))).json()["data"]
    assert [key["name"] for key in listed] == ["caisse"]
    assert secret not in str(listed)
    assert listed[0]["hint"] == secret[:13] + "…"
    stored = await support.query_value("SELECT key_hash FROM api_keys")
    assert stored != secret
    assert len(stored) == 64
    balance = await client.get("/api/v1/merchant/balance", headers={"Authorization": f"Bearer {secret}"})
    assert balance.status_code == 200, balance.text
    assert balance.json() == {"available": 0, "currency": "XOF", "status": "active"}
    used = (await client.get("/api/v1/merchant/api-keys", headers=bearer(owner_tokens))).json()["data"][0]
    assert used["last_used_at"] is not None


async def test_a_customer_without_a_merchant_cannot_manage_keys(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    response = await client.post(
        "/api/v1/merchant/api-keys", json={"name": "x", "scopes": ["balance:read"]}, headers=bearer(tokens)
    )
    assert response.status_code == 404


async def test_scopes_are_enforced(client: AsyncClient) -> None:
    _, headers, _ = await merchant_with_key(client, scopes=["payments:read"])
    response = await client.get("/api/v1/merchant/balance", headers=headers)
    assert (response.status_code, response.json()["code"]) == (403, "INSUFFICIENT_SCOPE")


async def test_missing_unknown_and_revoked_keys_get_401(client: AsyncClient) -> None:
    _, headers, owner_tokens = await merchant_with_key(client)
    assert (await client.get("/api/v1/merchant/balance")).status_code == 401
    unknown = {"Authorization": "Bearer ompay_sk_" + "x" * 43}
    assert (await client.get("/api/v1/merchant/balance", headers=unknown)).status_code == 401
    key_id = (await client.get("/api/v1/merchant/api-keys", headers=bearer(owner_tokens))).json()["data"][0][
        "id"
    ]
    revoked = await client.delete(f"/api/v1/merchant/api-keys/{key_id}", headers=bearer(owner_tokens))
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/merchant/balance", headers=headers)).status_code == 401


async def test_rotation_keeps_the_old_secret_for_its_grace_period_only(client: AsyncClient) -> None:
    _, old_headers, owner_tokens = await merchant_with_key(client)
    key_id = (await client.get("/api/v1/merchant/api-keys", headers=bearer(owner_tokens))).json()["data"][0][
        "id"
    ]
    rotated = await client.post(
        f"/api/v1/merchant/api-keys/{key_id}/rotate",
        json={"grace_seconds": 3600},
        headers=bearer(owner_tokens),
    )
    assert rotated.status_code == 201, rotated.text
    new_headers = {"Authorization": f"Bearer {rotated.json()['secret']}"}
    assert (await client.get("/api/v1/merchant/balance", headers=old_headers)).status_code == 200
    assert (await client.get("/api/v1/merchant/balance", headers=new_headers)).status_code == 200
    new_id = rotated.json()["key"]["id"]
    immediate = await client.post(
        f"/api/v1/merchant/api-keys/{new_id}/rotate", json={}, headers=bearer(owner_tokens)
    )
    assert immediate.status_code == 201
    assert (await client.get("/api/v1/merchant/balance", headers=new_headers)).status_code == 401


async def test_an_ip_allowlist_binds_a_key_to_its_networks(client: AsyncClient) -> None:
    owner, owner_tokens = await active_customer(client)
    await onboard(client, owner["phone"])

    async def key(allowed: list[str]) -> dict[str, str]:
        created = await client.post(
            "/api/v1/merchant/api-keys",
            json={"name": "ip", "scopes": ["balance:read"], "allowed_ips": allowed},
            headers=bearer(owner_tokens),
        )
        assert created.status_code == 201, created.text
        return {"Authorization": f"Bearer {created.json()['secret']}"}

    elsewhere = await client.get("/api/v1/merchant/balance", headers=await key(["198.51.100.0/24"]))
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "IP_NOT_ALLOWED")
    here = await client.get("/api/v1/merchant/balance", headers=await key(["203.0.113.0/24"]))
    assert here.status_code == 200
    invalid = await client.post(
        "/api/v1/merchant/api-keys",
        json={"name": "ip", "scopes": ["balance:read"], "allowed_ips": ["not-an-ip"]},
        headers=bearer(owner_tokens),
    )
    assert (invalid.status_code, invalid.json()["errors"][0]["field"]) == (422, "allowed_ips")


async def test_legacy_merchant_registration_opens_a_merchant_for_review(client: AsyncClient) -> None:
    response = await client.post("/api/auth/register", json=legacy_customer(type_compte="marchand"))
    assert response.status_code == 200, response.text
    code = response.json()["data"]["code_marchand"]
    assert re.fullmatch(r"MCH[A-Z0-9]{8}", code)
    status = await support.query_value("SELECT status FROM merchants WHERE code = $1", code)
    assert status == "pending_review"


async def test_openapi_declares_the_api_key_scheme(client: AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["MerchantApiKey"]["scheme"] == "bearer"
    assert schema["paths"]["/api/v1/merchant/balance"]["get"]["security"] == [{"MerchantApiKey": []}]
