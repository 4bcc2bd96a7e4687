"""Whole processes: two API servers and two workers (each with the scheduler) on one Postgres
and Redis run every cron tick once and every outbox message once; a server stopped with
SIGTERM under load finishes what it accepted and moves no money by halves."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests import support
from tests.e2e.conftest import OMPAY, running, wait_for
from tests.identity import bearer, register
from tests.ledger_support import ledger_is_consistent
from tests.merchant_support import PIN, funded_customer
from tests.money_support import wallet_balance

pytestmark = pytest.mark.e2e

UNLIMITED = {"RATE_LIMIT_PER_MINUTE": "1000000", "AUTH_RATE_LIMIT_PER_MINUTE": "1000000"}
TEN_SECOND_JOBS = ("sweep_outbox", "seal_audit_events")


# A job whose dequeue reply is lost (a CPU-starved worker) waits in SAQ's active list for the
# queue's sweep, which runs at most once a minute and then retries it: recovery takes up to ~2 min.
RECOVERY_BOUND = 150.0
OUTBOX_STATE = (
    "SELECT coalesce(array_agg(array[topic, attempts::text, (dispatched_at IS NOT NULL)::text, "
    "coalesce(last_error, '')]), '{}') FROM outbox WHERE processed_at IS NULL"
)


async def _eventually(query: str, expected: Any, within: float = RECOVERY_BOUND) -> None:
    deadline = time.monotonic() + within
    while (value := await support.query_value(query)) != expected:
        if time.monotonic() > deadline:
            open_messages = await support.query_value(OUTBOX_STATE)
            raise AssertionError(f"{query} stayed {value!r}, expected {expected!r}; open: {open_messages}")
        await asyncio.sleep(0.3)


async def test_two_apis_and_two_workers_run_each_tick_and_each_message_once() -> None:
    gateway = support.FakeHttpReceiver()
    env = {**UNLIMITED, "SMS_DRIVER": "http", "SMS_HTTP_URL": gateway.url}
    ports = [support.free_port(), support.free_port()]
    try:
        with ExitStack() as processes:
            for _ in range(2):
                processes.enter_context(running([OMPAY, "workers", "run"], env))
            for port in ports:
                processes.enter_context(running([OMPAY, "run"], {**env, "PORT": str(port)}))
            for port in ports:
                wait_for(f"http://127.0.0.1:{port}/health/live")
            apis = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") for port in ports]
            registrations = await asyncio.gather(*(register(apis[n % 2]) for n in range(20)))
            for api in apis:
                await api.aclose()
            assert {response.status_code for _, response in registrations} == {201}
            await _eventually("SELECT count(*) FROM outbox WHERE processed_at IS NULL", 0)
            for function in TEN_SECOND_JOBS:
                await _eventually(
                    f"SELECT count(*) >= 2 FROM scheduled_job_runs WHERE function = '{function}'", True
                )
    finally:
        gateway.close()
    keys = [headers["Idempotency-Key"] for headers, _ in gateway.requests]
    assert len(keys) == 20
    assert len(set(keys)) == 20
    for function in TEN_SECOND_JOBS:
        ticks = await support.query_value(
            "SELECT array_agg(extract(epoch FROM scheduled_at)::int) FROM scheduled_job_runs "
            "WHERE function = $1",
            function,
        )
        assert all(tick % 10 == 0 for tick in ticks), ticks  # runs of cron ticks, one row each


async def test_sigterm_under_load_finishes_accepted_transfers_and_moves_nothing_by_halves(
    client: AsyncClient, session: AsyncSession
) -> None:
    _, sender = await funded_customer(client, 100_000)
    recipient, _ = await funded_customer(client, 0)
    port = support.free_port()
    outcomes: dict[str, int | str] = {}  # Idempotency-Key -> status, or how the connection failed

    async def transfer(api: httpx.AsyncClient) -> None:
        key = str(uuid.uuid4())
        try:
            response = await api.post(
                "/api/v1/transfers",
                json={"recipient_phone": recipient["phone"], "amount": 100, "pin": PIN},
                headers={**bearer(sender), "Idempotency-Key": key},
            )
        except httpx.TransportError as exc:
            outcomes[key] = type(exc).__name__  # refused, or closed before the server read it
            return
        outcomes[key] = response.status_code

    with running([OMPAY, "run"], {**UNLIMITED, "PORT": str(port)}) as server:
        wait_for(f"http://127.0.0.1:{port}/health/live")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as api:
            load = [asyncio.create_task(transfer(api)) for _ in range(30)]
            await asyncio.wait(load, return_when=asyncio.FIRST_COMPLETED)
            os.killpg(server.pid, signal.SIGTERM)
            late = [asyncio.create_task(transfer(api)) for _ in range(5)]
            await asyncio.gather(*load, *late)
        assert server.wait(30) == 0

    assert set(outcomes.values()) - {201} <= {"ConnectError", "ReadError", "RemoteProtocolError"}
    answered = {key for key, outcome in outcomes.items() if outcome == 201}
    assert answered
    # Every movement the server posted was answered, and nothing unanswered moved money:
    # a request cut off by the shutdown was never processed, so its retry is safe.
    posted = await support.query_value(
        "SELECT coalesce(array_agg(idempotency_key), '{}') FROM journal_entries WHERE kind = 'p2p_transfer'"
    )
    assert set(posted) == answered
    assert await wallet_balance(client, sender) == 100_000 - 100 * len(answered)
    assert await ledger_is_consistent(session)
