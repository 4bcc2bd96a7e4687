"""Helpers shared by the tests: database lifecycle, queues, a burst worker, a dead Redis."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import asyncpg
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from litestar import Litestar
from saq import Queue, Worker
from saq.queue.redis import RedisQueue

from ompay.devstack.services import database_name, with_database

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def query_value(sql: str, *args: Any) -> Any:
    """One value straight from the test database, for assertions about what is stored."""
    connection = await asyncpg.connect(_plain(os.environ["DATABASE_URL"]))
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


async def execute_sql(*statements: str) -> None:
    """Run statements on the test database outside the app's pool (fault injection, set-up)."""
    connection = await asyncpg.connect(_plain(os.environ["DATABASE_URL"]))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def recreate_database(url: str) -> None:
    async def recreate() -> None:
        connection = await asyncpg.connect(with_database(_plain(url), "postgres"))
        try:
            name = database_name(url)
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(recreate())


def migrate_to_head() -> None:
    from advanced_alchemy.alembic.commands import AlembicCommands

    from config.database import get_alchemy_config

    AlembicCommands(sqlalchemy_config=get_alchemy_config()).upgrade("head")


REFERENCE_TABLES = {"alembic_version", "fee_schedules", "kyc_limits", "ledger_accounts", "monitoring_rules"}


async def truncate_all_tables() -> None:
    """Empty what tests write, keeping the migrations' reference data (system accounts, fees,
    tier limits, monitoring rules).

    Replica mode lets the cleanup past the append-only triggers and foreign keys.
    """
    connection = await asyncpg.connect(_plain(os.environ["DATABASE_URL"]))
    try:
        tables = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            for row in tables:
                if row["tablename"] not in REFERENCE_TABLES:
                    await connection.execute(f'DELETE FROM "{row["tablename"]}"')
            await connection.execute("DELETE FROM ledger_accounts WHERE owner_id IS NOT NULL")
            await connection.execute(
                "UPDATE ledger_accounts SET balance = 0, version = 0 WHERE balance <> 0 OR version <> 0"
            )
            await connection.execute(
                "DELETE FROM fee_schedules WHERE effective_from <> '2020-01-01T00:00:00Z'"
            )
            for versioned in ("kyc_limits", "monitoring_rules"):
                await connection.execute(f"DELETE FROM {versioned} WHERE created_by <> 'migration'")
    finally:
        await connection.close()


async def flush_redis() -> None:
    from config.settings import get_settings
    from ompay.lib.redis import create_redis

    client = create_redis(get_settings().redis)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


def queues() -> dict[str, Queue]:
    from config.queue import get_saq_config

    result: dict[str, Queue] = get_saq_config().get_queues().queues
    return result


def dead_queues() -> dict[str, Queue]:
    """Queues whose Redis is unreachable, as during an outage."""
    from redis.asyncio import Redis

    return {
        name: RedisQueue(Redis.from_url(DEAD_REDIS_URL, socket_connect_timeout=0.2), name=name)
        for name in queues()
    }


async def run_worker_burst(queue_name: str, **worker_options: Any) -> None:
    """Process everything queued on `queue_name` with a real SAQ worker, then return."""
    from jobs.registry import JOBS

    worker = Worker(
        queues()[queue_name],
        functions=list(JOBS),
        burst=True,
        dequeue_timeout=0.5,
        **worker_options,
    )
    await worker.start()


async def enqueue_and_run(queue_name: str, function: str, **kwargs: Any) -> None:
    """Run one job the way the scheduler would: enqueue it, then let a burst worker take it."""
    queue = queues()[queue_name]
    await queue.enqueue(function, **kwargs)
    await run_worker_burst(queue_name)


@asynccontextmanager
async def services_over(session: Any) -> AsyncIterator[Any]:
    """The services a job would have, working in the test's session."""
    from config.database import get_alchemy_config
    from config.settings import get_settings
    from ompay.lib.queue import JobDispatcher
    from ompay.services.container import short_lived_services

    engine = get_alchemy_config().get_engine()
    async with short_lived_services(session, get_settings(), JobDispatcher(queues()), engine) as services:
        yield services


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def http_client(app: Litestar) -> AsyncIterator[AsyncClient]:
    """An HTTP client calling the app in this event loop, with its startup/shutdown run.

    Litestar's AsyncTestClient runs the lifespan in a second event loop, which the
    database pool and Redis connections (bound to one loop) do not survive.
    """
    async with (
        LifespanManager(app),
        AsyncClient(
            transport=ASGITransport(app=app, client=("203.0.113.10", 40000)), base_url="http://testserver"
        ) as client,
    ):
        yield client


@contextmanager
def settings_env(**env: str) -> Iterator[None]:
    """Settings (and the configs built from them) reloaded under extra environment variables."""
    from config.database import get_alchemy_config
    from config.queue import get_saq_config
    from config.settings import get_settings

    caches = (get_settings, get_alchemy_config, get_saq_config)
    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    for cache in caches:
        cache.cache_clear()
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for cache in caches:
            cache.cache_clear()


@asynccontextmanager
async def app_with_env(routes: tuple[Any, ...] = (), **env: str) -> AsyncIterator[AsyncClient]:
    """A fresh app (plus `routes`) built under extra environment variables, then everything put back."""
    from ompay.app import create_app

    with settings_env(**env):
        app = create_app()
        for route in routes:
            app.register(route)
        async with http_client(app) as client:
            yield client


class FakeHttpReceiver:
    """A real local HTTP server recording what it receives; it fails the first `failures` calls
    (after leaving the first `hang` unanswered until released).

    Stands in for external receivers (SMS gateway, merchants' webhook endpoints).
    """

    def __init__(self, failures: int = 0, status: int = 200, hang: int = 0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        receiver = self
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.failures = failures
        self.hang = hang
        self.released = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers.items()), body))
                if receiver.hang > 0:  # the first `hang` calls get no answer until `release()`
                    receiver.hang -= 1
                    receiver.released.wait(30)
                    return
                failing = receiver.failures > 0
                receiver.failures -= 1 if failing else 0
                self.send_response(503 if failing else status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
