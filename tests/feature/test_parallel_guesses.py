"""Lockouts hold under parallel guesses (PIN, password, OTP), on v1 and the legacy routes.

Each test fires many wrong guesses at once and sends the right secret as soon as an answer
shows the limit was reached, while the other guesses are still in flight: a try is counted
before its secret is checked, so the right secret is refused and nothing moves.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from typing import Any

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from redis.asyncio import Redis

from config.settings import get_settings
from ompay.services.identity.security import Security
from tests import support
from tests.identity import PASSWORD, active_customer, bearer, latest_code, register
from tests.merchant_support import PIN, funded_customer, merchant_with_key
from tests.money_support import wallet_balance

PIN_LOCKED_FR = "Code PIN bloqué après trop d'essais. Réessayez plus tard."
Answers = list[Response]


async def _guesses_then(
    guesses: list[Awaitable[Response]],
    until: Callable[[Answers], bool],
    right_one: Callable[[], Awaitable[Response]],
) -> tuple[Answers, Response]:
    """Fire `guesses` at once; as soon as the answers so far satisfy `until`, send `right_one`."""
    tasks = [asyncio.ensure_future(guess) for guess in guesses]
    answers: Answers = []
    for next_answer in asyncio.as_completed(tasks):
        answers.append(await next_answer)
        if until(answers):
            break
    right = await right_one()
    return list(await asyncio.gather(*tasks)), right


def _last_is(status: int) -> Callable[[Answers], bool]:
    return lambda answers: answers[-1].status_code == status


@asynccontextmanager
async def _sign_in_unthrottled() -> AsyncIterator[AsyncClient]:
    """An app whose per-IP sign-in limit stays out of the way: the lockout is what is under test."""
    async with support.app_with_env(AUTH_RATE_LIMIT_PER_MINUTE="1000") as client:
        yield client


@contextmanager
def _attempt_counters_down(app: Litestar) -> Iterator[None]:
    saved = app.state.platform
    dead = Redis.from_url(support.DEAD_REDIS_URL, socket_connect_timeout=0.2)
    app.state.platform = replace(saved, security=Security.build(get_settings(), dead))
    try:
        yield
    finally:
        app.state.platform = saved


def _transfer(recipient: str, pin: str) -> dict[str, Any]:
    return {"recipient_phone": recipient, "amount": 1000, "pin": pin}


async def test_thirty_parallel_wrong_pins_check_three_and_the_right_one_moves_nothing(
    client: AsyncClient,
) -> None:
    _, tokens = await funded_customer(client, 50_000)
    recipient, recipient_tokens = await active_customer(client)

    def send(pin: str) -> Awaitable[Response]:
        return client.post(
            "/api/v1/transfers", json=_transfer(recipient["phone"], pin), headers=bearer(tokens)
        )

    answers, right = await _guesses_then(
        [send(f"{1000 + n}") for n in range(30)], _last_is(429), lambda: send(PIN)
    )
    after = await send(PIN)

    assert Counter(answer.json()["code"] for answer in answers) == {"PIN_INCORRECT": 2, "PIN_LOCKED": 28}
    assert (right.status_code, right.json()["code"]) == (429, "PIN_LOCKED")
    assert (after.status_code, after.json()["code"]) == (429, "PIN_LOCKED")
    assert 0 < int(after.headers["retry-after"]) <= 900
    assert await wallet_balance(client, tokens) == 50_000
    assert await wallet_balance(client, recipient_tokens) == 0
    assert await support.query_value("SELECT count(*) FROM audit_events WHERE action = 'pin.locked'") == 1


async def test_the_owners_parallel_transfers_with_the_right_pin_all_go_through(client: AsyncClient) -> None:
    _, tokens = await funded_customer(client, 50_000)
    recipient, recipient_tokens = await active_customer(client)
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/transfers", json=_transfer(recipient["phone"], PIN), headers=bearer(tokens))
            for _ in range(8)
        )
    )
    assert [answer.status_code for answer in answers] == [201] * 8
    assert await wallet_balance(client, recipient_tokens) == 8000


async def test_a_locked_pin_refuses_every_legacy_money_route(client: AsyncClient) -> None:
    merchant, _, _ = await merchant_with_key(client)
    customer, tokens = await funded_customer(client, 20_000)
    recipient, _ = await active_customer(client)
    wrong = {"current_pin": "5555", "new_pin": "9063"}
    answers = await asyncio.gather(
        *(client.put("/api/v1/me/pin", json=wrong, headers=bearer(tokens)) for _ in range(10))
    )
    assert Counter(answer.json()["code"] for answer in answers) == {"PIN_INCORRECT": 2, "PIN_LOCKED": 8}

    legacy = [
        ("/api/ompay/transfer", {"recipient_telephone": recipient["phone"], "amount": 1000}),
        ("/api/ompay/withdraw", {"amount": 1000}),
        ("/api/ompay/deposit", {"amount": 1000}),
        ("/api/paiement/marchand", {"code_marchand": merchant["code"], "montant": 1000}),
    ]
    for path, body in legacy:
        refused = await client.post(path, json=body, headers=bearer(tokens))
        assert refused.status_code == 429, path
        assert refused.json() == {"success": False, "message": PIN_LOCKED_FR, "errors": None}, path
        assert 0 < int(refused.headers["retry-after"]) <= 900, path
    assert await wallet_balance(client, tokens) == 20_000

    await client.post("/api/v1/auth/otp", json={"phone": customer["phone"], "purpose": "pin_reset"})
    code = await latest_code(client, customer["phone"])
    reset = await client.post(
        "/api/v1/me/pin/reset", json={"code": code, "new_pin": "7305"}, headers=bearer(tokens)
    )
    assert reset.status_code == 204
    assert (
        await client.post("/api/ompay/withdraw", json={"amount": 1000}, headers=bearer(tokens))
    ).status_code == 200


async def test_money_routes_fail_closed_when_the_pin_lock_cannot_be_read(
    client: AsyncClient, app: Litestar
) -> None:
    merchant, _, _ = await merchant_with_key(client)
    _, tokens = await funded_customer(client, 20_000)
    recipient, _ = await active_customer(client)
    calls = [
        ("/api/v1/transfers", _transfer(recipient["phone"], PIN)),
        ("/api/ompay/transfer", {"recipient_telephone": recipient["phone"], "amount": 1000}),
        ("/api/ompay/withdraw", {"amount": 1000}),
        ("/api/ompay/deposit", {"amount": 1000}),
        ("/api/paiement/marchand", {"code_marchand": merchant["code"], "montant": 1000}),
    ]
    with _attempt_counters_down(app):
        answers = [await client.post(path, json=body, headers=bearer(tokens)) for path, body in calls]
    assert [answer.status_code for answer in answers] == [503] * len(calls)
    assert answers[0].json()["code"] == "SERVICE_UNAVAILABLE"
    assert all(answer.json()["success"] is False for answer in answers[1:])
    assert await wallet_balance(client, tokens) == 20_000


@pytest.mark.parametrize(
    ("path", "phone_field", "locked"),
    [
        ("/api/v1/auth/login", "phone", lambda body: body["code"] == "ACCOUNT_LOCKED"),
        ("/api/auth/login", "telephone", lambda body: body["message"].startswith("Compte verrouillé.")),
    ],
    ids=["v1", "legacy"],
)
async def test_fifteen_parallel_wrong_passwords_check_five_and_the_right_one_gets_no_tokens(
    path: str, phone_field: str, locked: Callable[[dict[str, Any]], bool]
) -> None:
    async with _sign_in_unthrottled() as client:
        customer, _ = await active_customer(client)

        def login(password: str) -> Awaitable[Response]:
            return client.post(path, json={phone_field: customer["phone"], "password": password})

        answers, right = await _guesses_then(
            [login(f"wrong password {n}") for n in range(15)], _last_is(429), lambda: login(PASSWORD)
        )
        after = await login(PASSWORD)

    assert sorted(answer.status_code for answer in answers) == [401] * 4 + [429] * 11
    assert all(locked(answer.json()) for answer in answers if answer.status_code == 429)
    assert right.status_code == 429
    assert locked(right.json())
    assert after.status_code == 429
    assert 0 < int(after.headers["retry-after"]) <= 900
    failed = "SELECT count(*) FROM audit_events WHERE action = $1"
    assert await support.query_value(failed, "auth.login_failed") == 4
    assert await support.query_value(failed, "auth.lockout") == 1


@pytest.mark.parametrize(
    ("path", "fields"),
    [("/api/v1/auth/otp/verify", ("phone", "code")), ("/api/auth/verify-otp", ("telephone", "otp"))],
    ids=["v1", "legacy"],
)
async def test_parallel_wrong_codes_kill_the_code_before_the_right_one_is_read(
    path: str, fields: tuple[str, str]
) -> None:
    phone_field, code_field = fields
    async with _sign_in_unthrottled() as client:
        customer, _ = await register(client)
        code = await latest_code(client, customer["phone"])

        def verify(guess: str) -> Awaitable[Response]:
            return client.post(path, json={phone_field: customer["phone"], code_field: guess})

        wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 11)]
        answers, right = await _guesses_then(
            [verify(guess) for guess in wrong], lambda answers: len(answers) == 3, lambda: verify(code)
        )
        after = await verify(code)
        await client.post("/api/v1/auth/otp", json={"phone": customer["phone"]})
        fresh = await verify(await latest_code(client, customer["phone"]))

    assert [answer.status_code for answer in answers] == [400] * 10
    assert (right.status_code, after.status_code) == (400, 400)
    assert fresh.status_code == 200
