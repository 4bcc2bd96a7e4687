"""Two API processes remembering live sessions for 30 s: "log out everywhere" in one is refused by
the other within a second, because every revocation is announced to every process."""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack

import httpx
import pytest

from tests import support
from tests.e2e.conftest import OMPAY, running, wait_for
from tests.identity import active_customer, bearer

pytestmark = pytest.mark.e2e

REMEMBER = {"AUTH_SESSION_CACHE_SECONDS": "30", "RATE_LIMIT_PER_MINUTE": "100000"}


async def test_logging_out_everywhere_in_one_process_is_refused_by_another_within_a_second() -> None:
    ports = [support.free_port(), support.free_port()]
    with ExitStack() as processes:
        for port in ports:
            processes.enter_context(running([OMPAY, "run"], {**REMEMBER, "PORT": str(port)}))
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/health/ready")
        first, second = (httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") for port in ports)
        async with first, second:
            body, phone_session = await active_customer(first)
            signed_in = await first.post(
                "/api/v1/auth/login", json={"phone": body["phone"], "password": body["password"]}
            )
            assert signed_in.status_code == 200, signed_in.text
            remembered = bearer(phone_session)
            for _ in range(3):  # the second process remembers the phone's session from now on
                assert (await second.get("/api/v1/me", headers=remembered)).status_code == 200

            everywhere = {"everywhere": True}
            logout = await first.post(
                "/api/v1/auth/logout", json=everywhere, headers=bearer(signed_in.json())
            )
            assert logout.status_code in (200, 204), logout.text
            started = time.monotonic()
            while (await second.get("/api/v1/me", headers=remembered)).status_code != 401:
                assert time.monotonic() - started < 1.0, "the second process still served the session"
                await asyncio.sleep(0.05)
