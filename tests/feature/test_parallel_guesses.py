"""Lockouts hold under parallel guesses (PIN, password, OTP), on v1 and the legacy routes.

Each test fires many wrong guesses at once and sends the right secret as soon as an answer
shows the limit was reached, while the other guesses are still in flight: a try is counted
before its secret is checked, so the right secret is refused and nothing moves.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from httpx import AsyncClient, Response

from tests import support
from tests.identity import PASSWORD, active_customer, bearer, latest_code, register
from tests.merchant_support import PIN, funded_customer, wallet_balance

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
