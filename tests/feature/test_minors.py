"""Minors: a wallet only linked to a verified guardian who approves with their PIN, at tier0 limits."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests import support
from tests.feature.test_kyc_documents import REVIEW, document_fields, document_files
from tests.identity import active_customer, bearer, latest_code, register, staff_tokens
from tests.jobs.test_kyc_expiry import approved_customer

MINOR = {"birth_date": "2012-06-01", "first_name": "Fatou"}


async def verified_guardian(client: AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    body, tokens, _ = await approved_customer(client)
    assert (
        await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    ).status_code == 204
    return body, tokens


async def activated_minor(client: AsyncClient, guardian_phone: str) -> dict[str, Any]:
    body, response = await register(client, **MINOR, guardian_phone=guardian_phone)
    assert response.status_code == 201, response.text
    code = await latest_code(client, body["phone"])
    tokens = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": code})
    assert tokens.status_code == 200, tokens.text
    result: dict[str, Any] = tokens.json()
    return result


async def test_a_minor_needs_a_verified_guardian(client: AsyncClient) -> None:
    unverified, _ = await active_customer(client)
    _, alone = await register(client, **MINOR)
    _, with_tier0 = await register(client, **MINOR, guardian_phone=unverified["phone"])
    assert (alone.status_code, [e["field"] for e in alone.json()["errors"]]) == (422, ["birth_date"])
    assert (with_tier0.status_code, [e["field"] for e in with_tier0.json()["errors"]]) == (
        422,
        ["guardian_phone"],
    )


async def test_the_guardian_opens_the_minors_wallet_with_their_pin(client: AsyncClient) -> None:
    guardian, guardian_tokens = await verified_guardian(client)
    minor = await activated_minor(client, guardian["phone"])
    assert (await client.get("/api/v1/wallet", headers=bearer(minor))).json()["status"] == "inactive"
    links = (await client.get("/api/v1/me/guardianships", headers=bearer(guardian_tokens))).json()
    assert [link["status"] for link in links] == ["pending"]
    approve = f"/api/v1/me/guardianships/{links[0]['id']}/approve"
    wrong = await client.post(approve, json={"pin": "0000"}, headers=bearer(guardian_tokens))
    assert (wrong.status_code, wrong.json()["code"]) == (400, "PIN_INCORRECT")
    approved = await client.post(approve, json={"pin": "4821"}, headers=bearer(guardian_tokens))
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    wallet = (await client.get("/api/v1/wallet", headers=bearer(minor))).json()
    assert (wallet["status"], wallet["tier"]) == ("active", "tier0")


async def test_only_the_named_guardian_approves(client: AsyncClient) -> None:
    guardian, guardian_tokens = await verified_guardian(client)
    _, stranger = await verified_guardian(client)
    await activated_minor(client, guardian["phone"])
    link = (await client.get("/api/v1/me/guardianships", headers=bearer(guardian_tokens))).json()[0]
    refused = await client.post(
        f"/api/v1/me/guardianships/{link['id']}/approve", json={"pin": "4821"}, headers=bearer(stranger)
    )
    assert refused.status_code == 404


async def test_an_approved_document_leaves_a_minor_at_tier0(client: AsyncClient) -> None:
    guardian, _ = await verified_guardian(client)
    minor = await activated_minor(client, guardian["phone"])
    submitted = await client.post(
        "/api/v1/me/kyc/documents",
        data=document_fields(first_name="Fatou", birth_date="2012-06-01"),
        files=document_files(),
        headers=bearer(minor),
    )
    assert submitted.status_code == 201, submitted.text
    await support.run_worker_burst("compliance")
    _, officer = await staff_tokens(client, "compliance_officer")
    approved = await client.post(f"{REVIEW}/{submitted.json()['id']}/approve", headers=bearer(officer))
    assert approved.status_code == 200, approved.text
    assert (await client.get("/api/v1/me/kyc", headers=bearer(minor))).json()["tier"] == "tier0"
