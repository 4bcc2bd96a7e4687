"""Registration, activation by SMS code, and the one-time-code rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.identity import active_customer, bearer, e164, latest_code, new_customer, register


async def test_registration_creates_a_pending_customer_with_an_inactive_wallet(
    client: AsyncClient, session: AsyncSession
) -> None:
    body, response = await register(client)
    assert response.status_code == 201, response.text
    user = response.json()["user"]
    assert user["status"] == "pending_verification"
    assert user["phone"] == e164(body["phone"])
    assert user["wallet"]["status"] == "inactive"
    assert user["national_id"].endswith(body["national_id"][-4:])
    assert body["national_id"] not in response.text
    assert response.json()["otp_expires_in"] == 300
    audit = await session.scalar(text("SELECT changes FROM audit_events WHERE action = 'user.registered'"))
    assert audit["phone"] == "*" * 11 + body["phone"][-2:]


async def test_activation_by_sms_code_activates_user_and_wallet(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    me = (await client.get("/api/v1/me", headers=bearer(tokens))).json()
    assert me["status"] == "active"
    assert me["wallet"]["status"] == "active"
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "711234567"}, "phone"),
        ({"phone": "7712"}, "phone"),
        ({"national_id": "123456789012"}, "national_id"),
        ({"national_id": "4444444444444"}, "national_id"),
        ({"national_id": "AB123456789"}, "national_id"),
        ({"password": "short"}, "password"),
        ({"sex": "other"}, "sex"),
        ({"birth_date": "not-a-date"}, "birth_date"),
        ({"email": "nobody"}, "email"),
    ],
)
async def test_bad_registration_fields_are_named(
    client: AsyncClient, overrides: dict[str, str], field: str
) -> None:
    _, response = await register(client, **overrides)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_minors_are_refused_with_a_clear_message(client: AsyncClient) -> None:
    today = datetime.now(UTC).date()
    _, response = await register(client, birth_date=date(today.year - 17, 1, 1).isoformat())
    assert response.status_code == 422
    assert "tuteur" in response.json()["errors"][0]["message"]


async def test_phone_and_national_id_are_unique(client: AsyncClient) -> None:
    first, _ = await register(client)
    _, same_phone = await register(client, phone=first["phone"])
    _, same_id = await register(client, national_id=first["national_id"])
    assert same_phone.json()["errors"][0]["field"] == "phone"
    assert same_id.json()["errors"][0]["field"] == "national_id"


async def test_three_wrong_codes_kill_the_code(client: AsyncClient) -> None:
    body, _ = await register(client)
    code = await latest_code(client, body["phone"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        refused = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": wrong})
        assert refused.json()["code"] == "OTP_INVALID"
    right = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": code})
    assert (right.status_code, right.json()["code"]) == (400, "OTP_INVALID")


async def test_a_code_works_once_and_a_new_code_replaces_the_old(client: AsyncClient) -> None:
    body, _ = await register(client)
    old = await latest_code(client, body["phone"])
    assert (await client.post("/api/v1/auth/otp", json={"phone": body["phone"]})).status_code == 202
    new = await latest_code(client, body["phone"])
    stale = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": old})
    assert old == new or stale.status_code == 400
    assert (
        await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": new})
    ).status_code == 200
    again = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": new})
    assert again.status_code == 400


async def test_an_expired_code_is_refused(client: AsyncClient, session: AsyncSession) -> None:
    body, _ = await register(client)
    code = await latest_code(client, body["phone"])
    await session.execute(text("UPDATE one_time_codes SET expires_at = now() - interval '1 second'"))
    await session.commit()
    response = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": code})
    assert (response.status_code, response.json()["code"]) == (400, "OTP_EXPIRED")


async def test_at_most_three_codes_per_phone_per_hour(client: AsyncClient) -> None:
    body, _ = await register(client)
    statuses = [
        (await client.post("/api/v1/auth/otp", json={"phone": body["phone"]})).status_code for _ in range(3)
    ]
    assert statuses == [202, 202, 429]
    limited = await client.post("/api/v1/auth/otp", json={"phone": body["phone"]})
    assert limited.json()["code"] == "OTP_SEND_LIMIT"
    assert 0 < int(limited.headers["retry-after"]) <= 3600


async def test_codes_go_only_to_registered_phones(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/otp", json={"phone": new_customer()["phone"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"


async def test_no_code_is_stored_or_returned_in_clear(client: AsyncClient, session: AsyncSession) -> None:
    body, response = await register(client)
    code = await latest_code(client, body["phone"])
    assert code not in response.text
    stored = (await session.execute(text("SELECT code_hash FROM one_time_codes"))).scalars().all()
    assert all(code not in value for value in stored)
    outbox = (await session.execute(text("SELECT payload::text FROM outbox"))).scalars().all()
    assert all(code not in payload for payload in outbox)
