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
    args = parser.parse_args()
    os.environ.update({**FAST_LIMITS, "LOG_LEVEL": "WARNING"})
    figures = asyncio.run(measure(args.requests))
    for name, ms in figures.items():
        print(f"{name}: {ms:.2f} ms of CPU per request (in-process, {args.requests} requests)")


if __name__ == "__main__":
    main()
