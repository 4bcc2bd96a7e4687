"""Password login and lockout, token rotation and theft detection, logout, sessions."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.identity import PASSWORD, active_customer, bearer, register


async def _login(client: AsyncClient, phone: str, password: str = PASSWORD) -> dict[str, object]:
    response = await client.post("/api/v1/auth/login", json={"phone": phone, "password": password})
    return {"status": response.status_code, "body": response.json(), "headers": response.headers}


async def test_password_login_returns_a_working_token_pair(client: AsyncClient) -> None:
    body, _ = await active_customer(client)
    login = await _login(client, body["phone"])
    assert login["status"] == 200
    me = await client.get("/api/v1/me", headers=bearer(login["body"]))  # type: ignore[arg-type]
    assert me.json()["first_name"] == "Aminata"


async def test_a_wrong_password_is_401_and_a_pending_account_is_403(client: AsyncClient) -> None:
    active, _ = await active_customer(client)
    pending, _ = await register(client)
    assert (await _login(client, active["phone"], "wrong password"))["status"] == 401
    not_active = await _login(client, pending["phone"])
    assert (not_active["status"], not_active["body"]["code"]) == (403, "ACCOUNT_NOT_ACTIVE")  # type: ignore[index]


async def test_five_wrong_passwords_lock_the_login_then_it_unlocks() -> None:
    async with support.app_with_env(AUTH_LOGIN_LOCKOUT_SECONDS="2") as client:
        body, _ = await active_customer(client)
        failures = [(await _login(client, body["phone"], "nope"))["status"] for _ in range(5)]
        locked = await _login(client, body["phone"])
        await asyncio.sleep(2.2)
        unlocked = await _login(client, body["phone"])
    assert failures == [401, 401, 401, 401, 429]
    assert locked["status"] == 429
    assert locked["body"]["code"] == "ACCOUNT_LOCKED"  # type: ignore[index]
    assert int(locked["headers"]["retry-after"]) in (1, 2)  # type: ignore[index]
    assert unlocked["status"] == 200


async def test_a_successful_login_resets_the_failure_count(client: AsyncClient) -> None:
    body, _ = await active_customer(client)
    for _ in range(4):
        await _login(client, body["phone"], "nope")
    assert (await _login(client, body["phone"]))["status"] == 200
    assert [(await _login(client, body["phone"], "nope"))["status"] for _ in range(4)] == [401] * 4


async def test_login_rehashes_when_the_argon2_parameters_change(session: AsyncSession) -> None:
    async with support.app_with_env() as client:
        body, _ = await active_customer(client)
    async with support.app_with_env(AUTH_ARGON2_TIME_COST="3") as client:
        assert (await _login(client, body["phone"]))["status"] == 200
    stored = await session.scalar(text("SELECT password_hash FROM users"))
    assert ",t=3," in stored


async def test_requests_without_a_valid_token_are_401(client: AsyncClient) -> None:
    missing = await client.get("/api/v1/me")
    garbage = await client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert (missing.status_code, missing.json()["code"]) == (401, "AUTHENTICATION_REQUIRED")
    assert garbage.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, first = await active_customer(client)
    second = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 200

    stolen = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert (stolen.status_code, stolen.json()["code"]) == (401, "TOKEN_INVALID")
    assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 401
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    assert (
        await session.scalar(
            text("SELECT count(*) FROM audit_events WHERE action = 'auth.token_family_revoked'")
        )
        == 1
    )


async def test_logout_takes_effect_immediately(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    assert (await client.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


async def test_logout_everywhere_ends_every_session(client: AsyncClient) -> None:
    body, phone_session = await active_customer(client)
    tablet = (await _login(client, body["phone"]))["body"]
    response = await client.post("/api/v1/auth/logout", json={"everywhere": True}, headers=bearer(tablet))  # type: ignore[arg-type]
    assert response.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(phone_session))).status_code == 401


async def test_sessions_are_listed_and_one_can_be_signed_out(client: AsyncClient) -> None:
    body, phone_session = await active_customer(client)
    tablet = (await _login(client, body["phone"]))["body"]
    listed = (await client.get("/api/v1/me/sessions", headers=bearer(phone_session))).json()
    assert len(listed) == 2
    assert [s["current"] for s in listed].count(True) == 1
    other = next(s for s in listed if not s["current"])
    assert (
        await client.delete(f"/api/v1/me/sessions/{other['id']}", headers=bearer(phone_session))
    ).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(tablet))).status_code == 401  # type: ignore[arg-type]
    assert (await client.get("/api/v1/me", headers=bearer(phone_session))).status_code == 200


async def test_another_users_session_is_not_found(client: AsyncClient) -> None:
    _, mine = await active_customer(client)
    _, theirs = await active_customer(client)
    their_session = (await client.get("/api/v1/me/sessions", headers=bearer(theirs))).json()[0]["id"]
    response = await client.delete(f"/api/v1/me/sessions/{their_session}", headers=bearer(mine))
    assert response.status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(theirs))).status_code == 200


async def test_auth_routes_have_a_per_ip_limit() -> None:
    async with support.app_with_env(AUTH_RATE_LIMIT_PER_MINUTE="2") as client:
        statuses = [
            (
                await client.post("/api/v1/auth/login", json={"phone": "771234567", "password": "x"})
            ).status_code
            for _ in range(3)
        ]
    assert statuses[-1] == 429
