"""Money from nowhere and login codes are sandbox tools: a production app does not have them."""

from __future__ import annotations

from httpx import AsyncClient

from tests import support
from tests.identity import PASSWORD, bearer
from tests.merchant_support import funded_customer, merchant_with_key
from tests.money_support import wallet_balance

PRODUCTION = {
    "APP_ENV": "production",
    "APP_SECRET_KEY": "production-secret-" + "x" * 40,
    "AUTH_PIN_PEPPER": "production-pin-pepper-" + "y" * 40,
    "SMS_DRIVER": "http",
    "SMS_HTTP_URL": "https://sms.example.sn/send",
    "APP_URL": "https://pay.ompay.sn",
}
NOT_FOUND = {"success": False, "message": "Ressource non trouvée", "errors": None}


async def test_production_has_no_sandbox_and_no_self_service_cash(client: AsyncClient) -> None:
    _, merchant_headers, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 10_000)
    created = await client.post(
        "/api/v1/merchant/payment-requests",
        json={"amount": 5000, "customer_phone": customer["phone"]},
        headers=merchant_headers,
    )
    request_id = created.json()["id"]
    async with support.app_with_env(**PRODUCTION) as production:
        login = await production.post(
            "/api/v1/auth/login", json={"phone": customer["phone"], "password": PASSWORD}
        )
        signed_in = bearer(login.json())
        sms = await production.get("/api/v1/sandbox/sms", params={"phone": customer["phone"]})
        fund = await production.post(
            f"/api/v1/sandbox/wallets/{customer['phone']}/fund", json={"amount": 500}
        )
        simulate = await production.post(
            f"/api/v1/sandbox/payment-requests/{request_id}/simulate", json={"action": "approve"}
        )
        deposit = await production.post("/api/ompay/deposit", json={"amount": 5000}, headers=signed_in)
        withdraw = await production.post("/api/ompay/withdraw", json={"amount": 500}, headers=signed_in)
        balance = await production.get("/api/ompay/balance", headers=signed_in)
        schema = (await production.get("/schema/openapi.json")).json()
    assert [r.status_code for r in (sms, fund, simulate)] == [404, 404, 404]
    assert {r.json()["code"] for r in (sms, fund, simulate)} == {"NOT_FOUND"}
    assert (deposit.status_code, deposit.json()) == (404, NOT_FOUND)
    assert (withdraw.status_code, withdraw.json()) == (404, NOT_FOUND)
    assert balance.status_code == 200, "the customer was signed in: only the route was missing"
    assert not [path for path in schema["paths"] if path.startswith("/api/v1/sandbox")]
    assert await wallet_balance(client, tokens) == 10_000
    status = await client.get(f"/api/v1/merchant/payment-requests/{request_id}", headers=merchant_headers)
    assert status.json()["status"] == "pending"
