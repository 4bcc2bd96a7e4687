"""Postgres connections killed or refused while requests run: clients get a retryable 503
(problem+json or the legacy envelope, with Retry-After), never a 500; no money is half-moved;
the pool recovers by itself; `/health/ready` says what is true during and after."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.devstack.services import database_name, with_database
from tests.identity import bearer
from tests.integration.test_posting_faults import RAISE_ON_POSTINGS, injected
from tests.ledger_support import ledger_is_consistent
from tests.merchant_support import PIN, funded_customer
from tests.money_support import wallet_balance

TERMINATE = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = $1 AND pid <> pg_backend_pid()"
)


@asynccontextmanager
async def admin_connection() -> AsyncIterator[tuple[asyncpg.Connection, str]]:
    """A superuser connection to the `postgres` database, and the name of the app's database."""
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(with_database(url, "postgres"))
    try:
        yield connection, database_name(url)
    finally:
        await connection.close()


@asynccontextmanager
async def database_refusing_connections() -> AsyncIterator[None]:
    """The app's database down for it: every connection killed, no new one accepted."""
    async with admin_connection() as (admin, name):
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            await admin.fetchval(TERMINATE, name)
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


def assert_retryable(response: httpx.Response, media_type: str = "application/problem+json") -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert int(response.headers["retry-after"]) > 0


async def _transfer(
    client: AsyncClient, tokens: dict[str, Any], recipient: str, key: str, amount: int = 100
) -> httpx.Response:
    return await client.post(
        "/api/v1/transfers",
        json={"recipient_phone": recipient, "amount": amount, "pin": PIN},
        headers={**bearer(tokens), "Idempotency-Key": key},
    )


async def _until_posted(call: Callable[[], Any], attempts: int = 20) -> httpx.Response:
    """What a well-behaved client does with a 503: wait, then retry with the same key."""
    for _ in range(attempts):
        response: httpx.Response = await call()
        if response.status_code != 503:
            return response
        assert_retryable(response)
        await asyncio.sleep(0.05)
    raise AssertionError("still 503 after the database came back")


async def test_connections_killed_during_transfers_leave_no_half_moved_money(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, sender_tokens = await funded_customer(client, 100_000)
    recipient, recipient_tokens = await funded_customer(client, 0)
    keys = [str(uuid.uuid4()) for _ in range(24)]
    killed = 0

    async def kill_repeatedly() -> None:
        nonlocal killed
        async with admin_connection() as (admin, name):
            for _ in range(15):
                killed += await admin.fetchval(TERMINATE, name)
                await asyncio.sleep(0.03)

    *first_tries, _ = await asyncio.gather(
        *(_transfer(client, sender_tokens, recipient["phone"], key) for key in keys), kill_repeatedly()
    )
    assert killed > 0
    assert {response.status_code for response in first_tries} <= {201, 503}
    for response in first_tries:
        if response.status_code == 503:
            assert_retryable(response)

    final = [
        await _until_posted(lambda key=key: _transfer(client, sender_tokens, recipient["phone"], key))
        for key in keys
    ]
    assert {response.status_code for response in final} == {201}
    assert len({response.json()["id"] for response in final}) == len(keys)
    assert await wallet_balance(client, sender_tokens) == 100_000 - 100 * len(keys)
    assert await wallet_balance(client, recipient_tokens) == 100 * len(keys)
    assert await ledger_is_consistent(session)
    assert (await client.get("/health/ready")).status_code == 200


async def test_while_the_database_refuses_connections_clients_get_503_and_readiness_fails(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, sender_tokens = await funded_customer(client, 10_000)
    recipient, _ = await funded_customer(client, 0)
    assert (await client.get("/health/ready")).status_code == 200
    key = str(uuid.uuid4())

    async with database_refusing_connections():
        ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"]["status"] != "ok"
        assert_retryable(await _transfer(client, sender_tokens, recipient["phone"], key))
        assert_retryable(await client.get("/api/v1/wallet", headers=bearer(sender_tokens)))
        legacy = await client.get("/api/ompay/balance", headers=bearer(sender_tokens))
        assert_retryable(legacy, media_type="application/json")
        assert legacy.json()["success"] is False

    assert (await client.get("/health/ready")).status_code == 200
    posted = await _until_posted(lambda: _transfer(client, sender_tokens, recipient["phone"], key))
    assert posted.status_code == 201, posted.text
    assert await wallet_balance(client, sender_tokens) == 9_900
    assert await ledger_is_consistent(session)


async def test_a_transfer_that_keeps_deadlocking_answers_a_retryable_503(client: AsyncClient) -> None:
    _, sender_tokens = await funded_customer(client, 10_000)
    recipient, _ = await funded_customer(client, 0)
    async with injected(RAISE_ON_POSTINGS.format(times=1000, sqlstate="40P01"), "postings"):
        assert_retryable(await _transfer(client, sender_tokens, recipient["phone"], "k-deadlock"))
        legacy = await client.post(
            "/api/ompay/transfer",
            json={"recipient_telephone": recipient["phone"], "amount": 500},
            headers=bearer(sender_tokens),
        )
        assert_retryable(legacy, media_type="application/json")
    assert await wallet_balance(client, sender_tokens) == 10_000
    posted = await _transfer(client, sender_tokens, recipient["phone"], "k-deadlock")
    assert posted.status_code == 201, posted.text


async def test_hot_reads_on_connections_the_server_dropped_are_read_again_on_fresh_ones(
    client: AsyncClient,
) -> None:
    """The hot-path pool skips the checkout ping: a pooled connection the server killed while it
    sat idle is discarded, and the read answered on a new one."""
    _, tokens = await funded_customer(client, 5_000)
    for _ in range(3):  # the pool now holds idle connections
        assert (await client.get("/api/v1/wallet", headers=bearer(tokens))).status_code == 200
    async with admin_connection() as (admin, name):
        assert await admin.fetchval(TERMINATE, name) > 0
    for _ in range(5):
        wallet = await client.get("/api/v1/wallet", headers=bearer(tokens))
        assert wallet.status_code == 200, wallet.text
        assert wallet.json()["balance"] == 5_000
