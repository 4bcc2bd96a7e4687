"""Bring the local stack up and always take down what we started."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from ompay.devstack import services
from ompay.devstack.services import say

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ompay"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SIDE_REDIS_DB = 14
"""The Redis database of stacks run on a named database (benchmarks); the tests use 1, 2, …"""


@contextmanager
def local_stack(database: str | None = None) -> Iterator[dict[str, str]]:
    """Yield the environment (DATABASE_URL, REDIS_URL) of a reachable Postgres and Redis.

    Configured or default servers are used when they answer; otherwise embedded ones are
    started and are stopped again however the block exits.
    """
    services.prune_stale()
    started: list[services.StartedServer] = []
    try:
        env = {
            "DATABASE_URL": _postgres(database, started),
            "REDIS_URL": _redis(started, side=database is not None),
        }
        services.record(started)
        services.ensure_database(env["DATABASE_URL"])
        yield env
    finally:
        for server in reversed(started):
            say(f"stopping embedded {server.kind}")
            services.stop_server(server)
        if started:
            services.STATE_FILE.unlink(missing_ok=True)


def _postgres(database: str | None, started: list[services.StartedServer]) -> str:
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    name = database or services.database_name(url)
    if services.postgres_answers(url):
        say(f"using Postgres at {_safe(url)}")
        return services.with_database(url, name)
    say(f"no Postgres at {_safe(url)}; starting an embedded one in {services.DATA_DIR}")
    embedded_url, server = services.start_embedded_postgres(name)
    started.append(server)
    return embedded_url


def _redis(started: list[services.StartedServer], *, side: bool) -> str:
    """A stack on a database of its own (`--database`, the benchmarks) also gets a Redis database
    of its own: jobs it leaves queued must never be run by `make run`'s workers on another database."""
    url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    if services.redis_answers(url):
        say(f"using Redis at {_safe(url)}")
    else:
        say(f"no Redis at {_safe(url)}; starting an embedded Valkey")
        url, server = services.start_embedded_redis()
        started.append(server)
    return _with_logical_db(url, SIDE_REDIS_DB) if side else url


def _with_logical_db(url: str, index: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{index}"))


def _safe(url: str) -> str:
    """The URL without its password, for console output."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}{at}{host}" if at else url
