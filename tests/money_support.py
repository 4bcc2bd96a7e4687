"""Money over HTTP for feature tests: funded customers, balances, transfer bodies."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.identity import active_customer, bearer, staff_tokens


async def customer_funded_by_agent(
    client: AsyncClient, amount: int, pin: str | None = "4821"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A customer credited by an agent whose float an admin funded, all over HTTP."""
    _, admin = await staff_tokens(client, "admin")
    agent_id, agent = await staff_tokens(client, "agent")
    funding = await client.post(
        "/api/v1/admin/float-fundings", json={"agent_id": agent_id, "amount": amount}, headers=bearer(admin)
    )
    assert funding.status_code == 201, funding.text
    body, tokens = await active_customer(client)
    cash_in = await client.post(
        "/api/v1/agent/cash-ins",
        json={"customer_phone": body["phone"], "amount": amount},
        headers=bearer(agent),
    )
    assert cash_in.status_code == 201, cash_in.text
    if pin:
        await client.post("/api/v1/me/pin", json={"pin": pin}, headers=bearer(tokens))
    return body, tokens


async def wallet_balance(client: AsyncClient, tokens: dict[str, Any]) -> int:
    return int((await client.get("/api/v1/wallet", headers=bearer(tokens))).json()["balance"])


def transfer_body(recipient: str, amount: int, pin: str = "4821") -> dict[str, Any]:
    return {"recipient_phone": recipient, "amount": amount, "pin": pin, "description": "Loyer"}
