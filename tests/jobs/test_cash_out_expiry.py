"""Cash-out requests nobody approved in time become `expired` (the periodic job), and only those."""

from __future__ import annotations

from httpx import AsyncClient

from routes.schedule import scheduled_jobs
from tests import support
from tests.identity import active_customer, bearer, staff_tokens


async def _cash_out_request(client: AsyncClient, agent: dict[str, str], phone: str) -> str:
    created = await client.post(
        "/api/v1/agent/cash-outs", json={"customer_phone": phone, "amount": 1_000}, headers=agent
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_pending_cash_outs_past_their_expiry_become_expired(client: AsyncClient) -> None:
    _, agent_tokens = await staff_tokens(client, "agent")
    agent = bearer(agent_tokens)
    customer, customer_tokens = await active_customer(client)
    stale = await _cash_out_request(client, agent, customer["phone"])
    fresh = await _cash_out_request(client, agent, customer["phone"])
    declined = await _cash_out_request(client, agent, customer["phone"])
    assert (
        await client.post(f"/api/v1/cash-outs/{declined}/decline", headers=bearer(customer_tokens))
    ).status_code == 204
    await support.execute_sql(
        "UPDATE cash_out_requests SET expires_at = now() - interval '1 second' "
        f"WHERE id IN ('{stale}', '{declined}')"
    )

    await support.enqueue_and_run("webhooks", "expire_cash_outs")

    statuses = {
        request_id: await support.query_value(
            "SELECT status FROM cash_out_requests WHERE id = $1::uuid", request_id
        )
        for request_id in (stale, fresh, declined)
    }
    assert statuses == {stale: "expired", fresh: "pending", declined: "declined"}
    approve = await client.post(
        f"/api/v1/cash-outs/{stale}/approve", json={"pin": "4821"}, headers=bearer(customer_tokens)
    )
    assert approve.status_code == 409, approve.text


def test_the_expiry_runs_on_the_schedule() -> None:
    functions = {job.function.__qualname__ for jobs in scheduled_jobs().values() for job in jobs}
    assert "expire_cash_outs" in functions
