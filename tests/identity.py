"""Identity flows used across tests, through HTTP only (plus the SMS worker)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from httpx import AsyncClient, Response

from tests import support

_numbers = itertools.count(1)
PASSWORD = "correct horse 42"


def new_customer(**overrides: Any) -> dict[str, Any]:
    """A valid registration body with a fresh phone and NIN."""
    n = next(_numbers)
    return {
        "first_name": "Aminata",
        "last_name": "Diop",
        "phone": f"77{n:07d}",
        "national_id": f"{2_000_000_000_000 + n * 7919:013d}",
        "sex": "female",
        "birth_date": "1990-05-17",
        "password": PASSWORD,
        **overrides,
    }


def e164(local: str) -> str:
    return "+221" + local[-9:]


async def latest_code(client: AsyncClient, phone: str) -> str:
    """Deliver queued SMS with a real worker, then read the newest code from the sandbox."""
    await support.run_worker_burst("notifications")
    messages = (await client.get("/api/v1/sandbox/sms", params={"phone": phone})).json()
    match = re.search(r"\b(\d{6})\b", messages[0]["body"])
    assert match, messages
    return match.group(1)


async def register(client: AsyncClient, **overrides: Any) -> tuple[dict[str, Any], Response]:
    body = new_customer(**overrides)
    return body, await client.post("/api/v1/auth/register", json=body)


async def active_customer(client: AsyncClient, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Register and activate a customer; returns (registration body, token pair)."""
    body, response = await register(client, **overrides)
    assert response.status_code == 201, response.text
    code = await latest_code(client, body["phone"])
    tokens = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": code})
    assert tokens.status_code == 200, tokens.text
    return body, tokens.json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def staff_tokens(client: AsyncClient, role: str) -> tuple[str, dict[str, Any]]:
    """Create a staff user the way `ompay create-user` does, then sign in over HTTP."""
    from config.database import get_alchemy_config
    from config.settings import get_settings
    from ompay.domain.actors import Actor
    from ompay.lib.redis import create_redis
    from ompay.models import UserRole
    from ompay.services.identity.security import Security
    from ompay.services.identity.users import UserService
    from tests.ledger_support import unit_of_work

    phone = f"70{next(_numbers):07d}"
    settings = get_settings()
    redis = create_redis(settings.redis)
    async with get_alchemy_config().get_session() as session:
        user = await UserService(unit_of_work(session), Security.build(settings, redis)).create_staff(
            UserRole(role), e164(phone), "Staff", role.title(), PASSWORD, Actor.system("test")
        )
    await redis.aclose()
    login = await client.post("/api/v1/auth/login", json={"phone": phone, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return str(user.id), login.json()
