"""CPU per request with no server and no load generator: the ASGI app called directly, in-process.

Repeatable where the HTTP figures are noisy (the box is shared): `time.process_time` counts only
this process, so Postgres, Redis and other programs do not blur it. Needs the seeded benchmark
database (`make bench` once):

    python -m ompay.devstack exec --database ompay_bench -- python -m bench.inprocess
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_lifespan import LifespanManager

from bench.__main__ import FAST_LIMITS, OUT

Call = Callable[[Any, int], Awaitable[int]]


def _scope(method: str, path: str, token: str) -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    if method == "POST":
        headers.append((b"content-type", b"application/json"))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "headers": headers,
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "root_path": ""}  # fmt: skip


async def _request(app: Any, scope: dict[str, Any], body: bytes = b"") -> int:
    status = 0
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if delivered:
            await asyncio.Event().wait()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(requests: int) -> dict[str, float]:
    from ompay.app import create_app

    users = [line.split() for line in (OUT / "users.txt").read_text().splitlines() if line][:1000]

    async def wallet(app: Any, i: int) -> int:
        return await _request(app, _scope("GET", "/api/v1/wallet", users[i % len(users)][0]))

    async def transfer(app: Any, _: int) -> int:
        sender, recipient = random.sample(users, 2)
        body = f'{{"recipient_telephone":"{recipient[1]}","amount":100}}'.encode()
        return await _request(app, _scope("POST", "/api/ompay/transfer", sender[0]), body)

    app = create_app()
    figures: dict[str, float] = {}
    async with LifespanManager(app):
        for name, call in (("GET /api/v1/wallet", wallet), ("POST /api/ompay/transfer", transfer)):
            for i in range(30):
                assert await call(app, i) == 200, name
            started = time.process_time()
            for i in range(requests):
                await call(app, i)
            figures[name] = (time.process_time() - started) / requests * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--without-kyc-limits",
        action="store_true",
        help="post with the amount bounds alone, to measure what the KYC limit check costs",
    )
    args = parser.parse_args()
    os.environ.update({**FAST_LIMITS, "LOG_LEVEL": "WARNING"})
    if args.without_kyc_limits:
        from ompay.services.ledger import money_kit

        money_kit.KycLimitPolicy = lambda session, bounds: bounds  # type: ignore[assignment,misc]
    spent = _time_the_limit_check()
    figures = asyncio.run(measure(args.requests))
    for name, ms in figures.items():
        print(f"{name}: {ms:.2f} ms of CPU per request (in-process, {args.requests} requests)")
    if spent["calls"]:
        per_check = spent["seconds"] / spent["calls"] * 1000
        share = per_check / figures["POST /api/ompay/transfer"] * 100
        print(f"KYC limits (gate + check): {per_check:.2f} ms of CPU per transfer ({share:.1f} % of it)")


def _time_the_limit_check() -> dict[str, float]:
    """CPU spent in the KYC limits (the gate's read and body check, and the policy inside the
    transaction), measured in the same run as the transfers they are part of, so the share does
    not depend on how fast the machine happens to be. Requests run one at a time, so the
    process's CPU while a check awaits Postgres is the check's own."""
    from ompay.http.middleware import kyc_gate
    from ompay.repositories.hot_reads import HotReads
    from ompay.services.compliance.limits import KycLimitPolicy

    spent = {"seconds": 0.0, "calls": 0.0}

    def timed_async(function: Any, counts: bool) -> Any:
        async def timed(*args: Any) -> Any:
            started = time.process_time()
            try:
                return await function(*args)
            finally:
                spent["seconds"] += time.process_time() - started
                spent["calls"] += counts

        return timed

    def timed_sync(function: Any) -> Any:
        def timed(*args: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args)
            finally:
                spent["seconds"] += time.process_time() - started

        return timed

    KycLimitPolicy.check = timed_async(KycLimitPolicy.check, True)  # type: ignore[method-assign]
    HotReads.money_gate = timed_async(HotReads.money_gate, False)  # type: ignore[method-assign]
    kyc_gate.valid_amount = timed_sync(kyc_gate.valid_amount)
    return spent


if __name__ == "__main__":
    main()
