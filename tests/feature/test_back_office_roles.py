"""The back office (`/api/v1/admin`) is staff-only, and each staff role reaches its duties only."""

from __future__ import annotations

import re
from uuid import uuid4

from httpx import AsyncClient
from litestar import Litestar

from tests.identity import active_customer, bearer, staff_tokens
from tests.merchant_support import merchant_body, merchant_with_key, onboard

BACK_OFFICE = "/api/v1/admin"


def _back_office_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every back-office (method, path) in the route table, path parameters filled in."""
    return [
        (method, re.sub(r"\{[^}]+\}", str(uuid4()), route.path))
        for route in app.routes
        if route.path.startswith(BACK_OFFICE)
        for method in sorted(route.methods - {"OPTIONS", "HEAD"})
    ]


async def test_everyone_but_staff_is_refused_on_every_back_office_route(
    client: AsyncClient, app: Litestar
) -> None:
    routes = _back_office_routes(app)
    assert len(routes) >= 7, routes
    _, customer = await active_customer(client)
    _, agent = await staff_tokens(client, "agent")
    _, key_headers, merchant_owner = await merchant_with_key(client)
    for method, path in routes:
        for who, headers in (("customer", customer), ("agent", agent), ("merchant owner", merchant_owner)):
            refused = await client.request(method, path, json={}, headers=bearer(headers))
            assert refused.status_code == 403, (who, method, path, refused.text)
        with_key = await client.request(method, path, json={}, headers=key_headers)
        assert with_key.status_code in (401, 403, 404), (method, path, with_key.text)
        anonymous = await client.request(method, path, json={})
        assert anonymous.status_code == 401, (method, path, anonymous.text)


async def test_support_reads_but_never_changes(client: AsyncClient) -> None:
    _, support = await staff_tokens(client, "support")
    owner, _ = await active_customer(client)
    merchant = await onboard(client, owner["phone"], approve=False)
    shown = await client.get(f"{BACK_OFFICE}/merchants/{merchant['id']}", headers=bearer(support))
    assert (shown.status_code, shown.json()["status"]) == (200, "pending_review")
    approve = await client.post(f"{BACK_OFFICE}/merchants/{merchant['id']}/approve", headers=bearer(support))
    assert approve.status_code == 403
    fund = {"agent_id": str(uuid4()), "amount": 1000}
    assert (
        await client.post(f"{BACK_OFFICE}/float-fundings", json=fund, headers=bearer(support))
    ).status_code == 403


async def test_a_compliance_officer_decides_on_merchants_but_moves_no_money(client: AsyncClient) -> None:
    _, officer = await staff_tokens(client, "compliance_officer")
    owner, _ = await active_customer(client)
    merchant = await onboard(client, owner["phone"], approve=False)
    approved = await client.post(f"{BACK_OFFICE}/merchants/{merchant['id']}/approve", headers=bearer(officer))
    assert (approved.status_code, approved.json()["status"]) == (200, "active")
    suspended = await client.post(
        f"{BACK_OFFICE}/merchants/{merchant['id']}/suspend", headers=bearer(officer)
    )
    assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    other, _ = await active_customer(client)
    body = merchant_body(other["phone"])
    assert (
        await client.post(f"{BACK_OFFICE}/merchants", json=body, headers=bearer(officer))
    ).status_code == 403
    fund = {"agent_id": str(uuid4()), "amount": 1000}
    assert (
        await client.post(f"{BACK_OFFICE}/float-fundings", json=fund, headers=bearer(officer))
    ).status_code == 403
