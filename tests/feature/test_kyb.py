"""KYB: a new merchant's automatic checks; approved automatically outside production, by an officer in it."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import msgspec
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from ompay.services.container import Services
from tests import support
from tests.feature.test_legacy_auth import legacy_customer
from tests.identity import active_customer, bearer, latest_code, staff_tokens
from tests.merchant_support import funded_customer, merchant_body

OWNERS = [{"full_name": "Awa Ndiaye", "national_id": "1234567890123", "share_percent": 100}]


async def onboarded(client: AsyncClient, **overrides: Any) -> tuple[dict[str, Any], dict[str, str]]:
    owner, _ = await active_customer(client)
    _, admin = await staff_tokens(client, "admin")
    body = {**merchant_body(owner["phone"]), "rccm": "SN-DKR-2024-B-12345", "beneficial_owners": OWNERS}
    created = await client.post("/api/v1/admin/merchants", json={**body, **overrides}, headers=bearer(admin))
    assert created.status_code == 201, created.text
    return created.json(), bearer(admin)


async def merchant_status(merchant_id: str) -> str:
    return str(await support.query_value("SELECT status FROM merchants WHERE id = $1", merchant_id))


async def test_a_legacy_merchant_takes_payments_right_after_activation(client: AsyncClient) -> None:
    body = legacy_customer(type_compte="marchand")
    registered = await client.post("/api/auth/register", json=body)
    assert registered.status_code == 200, registered.text
    code = await latest_code(client, body["telephone"])
    verified = await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": code})
    assert verified.status_code == 200, verified.text
    await support.run_worker_burst("compliance")
    merchant_code = await support.query_value("SELECT code FROM merchants")
    assert await support.query_value("SELECT status FROM merchants") == "active"
    approver = await support.query_value(
        "SELECT actor_id FROM audit_events WHERE action = 'merchant.approved'"
    )
    assert approver == "kyb-auto-approval"
    _, payer = await funded_customer(client, 10_000)
    paid = await client.post(
        "/api/paiement/marchand",
        json={"code_marchand": merchant_code, "montant": 2_500},
        headers=bearer(payer),
    )
    assert paid.status_code == 200, paid.text


async def test_checks_that_fail_leave_the_merchant_to_an_officer(client: AsyncClient) -> None:
    too_much = [{**OWNERS[0], "share_percent": 80}, {**OWNERS[0], "national_id": "12", "share_percent": 40}]
    merchant, admin = await onboarded(client, beneficial_owners=too_much)
    await support.run_worker_burst("compliance")
    assert await merchant_status(merchant["id"]) == "pending_review"
    kyb = (await client.get(f"/api/v1/admin/merchants/{merchant['id']}/kyb", headers=admin)).json()
    assert [owner["share_percent"] for owner in kyb["beneficial_owners"]] == [80, 40]
    outcomes = {check["check"]: check["outcome"] for check in kyb["checks"]}
    assert (outcomes["beneficial_owners"], outcomes["ninea"], outcomes["rccm"]) == (
        "failed",
        "passed",
        "passed",
    )


async def test_a_merchant_whose_checks_pass_is_approved_automatically_locally(client: AsyncClient) -> None:
    merchant, _ = await onboarded(client)
    await support.run_worker_burst("compliance")
    assert await merchant_status(merchant["id"]) == "active"


async def test_in_production_only_an_officer_approves(client: AsyncClient, session: AsyncSession) -> None:
    merchant, _ = await onboarded(client)
    settings = get_settings()
    production = msgspec.structs.replace(
        settings, app=msgspec.structs.replace(settings.app, env="production")
    )
    async with support.services_over(session) as local:
        services = Services(local.uow, dataclasses.replace(local.platform, settings=production))
        await services.kyb_service.run(UUID(merchant["id"]))
    assert await merchant_status(merchant["id"]) == "pending_review"
    checks = await support.query_value(
        "SELECT count(*) FROM kyb_checks WHERE merchant_id = $1", merchant["id"]
    )
    assert checks > 0
