"""The transaction PIN: strength rules, set once, change, lockout, reset by SMS code."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from ompay.lib.crypto import Keys, SecretHasher
from tests.identity import active_customer, bearer, latest_code
from tests.merchant_support import PIN, funded_customer
from tests.money_support import transfer_body


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
    assert stored.startswith("pin-v1$")
    assert "4821" not in stored
    _, other = await active_customer(client)
    await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(other))
    assert await session.scalar(text("SELECT count(DISTINCT pin_hash) FROM users")) == 2  # salted by user
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


async def test_a_pin_hashed_with_argon2_is_upgraded_at_its_next_correct_entry(
    client: AsyncClient, session: AsyncSession
) -> None:
    """PINs stored before the keyed hash still work, and are rehashed the first time they are right."""
    sender, tokens = await funded_customer(client, 10_000)
    recipient, _ = await active_customer(client)
    settings = get_settings()
    legacy = SecretHasher(settings.auth, Keys.derive(settings.app.secret_key).pin_pepper)
    argon2_hash = await legacy.hash_pin(PIN)
    phone = sender["e164"]
    await session.execute(
        text("UPDATE users SET pin_hash = :h WHERE phone = :p"), {"h": argon2_hash, "p": phone}
    )
    await session.commit()
    stored = "SELECT pin_hash FROM users WHERE phone = :p"

    wrong = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 100, "5555"), headers=bearer(tokens)
    )
    assert wrong.json()["code"] == "PIN_INCORRECT"
    assert await session.scalar(text(stored), {"p": phone}) == argon2_hash
    paid = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 100, PIN), headers=bearer(tokens)
    )
    assert paid.status_code == 201, paid.text
    assert (await session.scalar(text(stored), {"p": phone})).startswith("pin-v1$")
    again = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 100, PIN), headers=bearer(tokens)
    )
    assert again.status_code == 201, again.text
