"""The transaction PIN: strength rules, set once, change, lockout, reset by SMS code."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.identity import active_customer, bearer, latest_code


@pytest.mark.parametrize("pin", ["0000", "1111", "1234", "9876", "1212"])
async def test_guessable_pins_are_refused(client: AsyncClient, pin: str) -> None:
    _, tokens = await active_customer(client)
    response = await client.post("/api/v1/me/pin", json={"pin": pin}, headers=bearer(tokens))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pin"


async def test_a_pin_is_set_once_and_stored_hashed(client: AsyncClient, session: AsyncSession) -> None:
    _, tokens = await active_customer(client)
    assert (
        await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    ).status_code == 204
    again = await client.post("/api/v1/me/pin", json={"pin": "9063"}, headers=bearer(tokens))
    assert (again.status_code, again.json()["code"]) == (409, "PIN_ALREADY_SET")
    stored = await session.scalar(text("SELECT pin_hash FROM users"))
    assert stored.startswith("$argon2id$")
    assert "4821" not in stored
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).json()["pin_set"] is True


async def test_changing_needs_the_current_pin_and_three_misses_lock_it(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    wrong = {"current_pin": "5555", "new_pin": "9063"}
    codes = [
        (await client.put("/api/v1/me/pin", json=wrong, headers=bearer(tokens))).json()["code"]
        for _ in range(3)
    ]
    assert codes == ["PIN_INCORRECT", "PIN_INCORRECT", "PIN_LOCKED"]
    locked = await client.put(
        "/api/v1/me/pin", json={"current_pin": "4821", "new_pin": "9063"}, headers=bearer(tokens)
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


async def test_a_pin_change_with_the_right_pin_works(client: AsyncClient, session: AsyncSession) -> None:
    _, tokens = await active_customer(client)
    await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    change = {"current_pin": "4821", "new_pin": "9063"}
    assert (await client.put("/api/v1/me/pin", json=change, headers=bearer(tokens))).status_code == 204
    old_again = await client.put("/api/v1/me/pin", json=change, headers=bearer(tokens))
    assert old_again.json()["code"] == "PIN_INCORRECT"
    assert await session.scalar(text("SELECT count(*) FROM audit_events WHERE action = 'pin.changed'")) == 1


async def test_a_forgotten_pin_is_reset_with_an_sms_code(client: AsyncClient) -> None:
    body, tokens = await active_customer(client)
    await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    sent = await client.post("/api/v1/auth/otp", json={"phone": body["phone"], "purpose": "pin_reset"})
    assert sent.status_code == 202
    code = await latest_code(client, body["phone"])
    reset = await client.post(
        "/api/v1/me/pin/reset", json={"code": code, "new_pin": "7305"}, headers=bearer(tokens)
    )
    assert reset.status_code == 204
    change = {"current_pin": "7305", "new_pin": "9063"}
    assert (await client.put("/api/v1/me/pin", json=change, headers=bearer(tokens))).status_code == 204


async def test_a_login_code_cannot_reset_a_pin(client: AsyncClient) -> None:
    body, tokens = await active_customer(client)
    await client.post("/api/v1/auth/otp", json={"phone": body["phone"], "purpose": "login"})
    code = await latest_code(client, body["phone"])
    reset = await client.post(
        "/api/v1/me/pin/reset", json={"code": code, "new_pin": "7305"}, headers=bearer(tokens)
    )
    assert (reset.status_code, reset.json()["code"]) == (400, "OTP_INVALID")
