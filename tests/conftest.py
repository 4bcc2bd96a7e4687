"""Test set-up: a fresh, migrated Postgres database and a Redis DB index per xdist worker.

DATABASE_URL / REDIS_URL come from the environment (`make test` points them at a live
stack, starting embedded servers when needed) and are rewritten here, before any settings
are loaded, so each worker owns its database and Redis index.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from ompay.devstack.services import database_name, with_database

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_INDEX = int(WORKER.removeprefix("gw") or 0)
BASE_DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ompay_test")
TEST_DATABASE = f"{database_name(BASE_DATABASE_URL)}_{WORKER}"


def _redis_url_for_worker(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{1 + WORKER_INDEX}"))


os.environ["DATABASE_URL"] = with_database(BASE_DATABASE_URL, TEST_DATABASE)
os.environ["REDIS_URL"] = _redis_url_for_worker(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
os.environ["APP_ENV"] = "test"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Production gives Redis 0.5 s to accept a connection (fail fast, the outbox keeps the work). The
# suite opens dozens at once on 2 cores it shares with its own servers; there, 0.5 s failed spuriously.
os.environ.setdefault("REDIS_CONNECT_TIMEOUT", "5")
# One app serves the whole session while tests add and remove rule versions: read them fresh.
os.environ.setdefault("MONITORING_RULE_CACHE_SECONDS", "0")
# Tests revoke sessions and change users behind the app's back (SQL): ask the database every time.
# The cache and its cross-process invalidation have tests of their own, with servers that use it.
os.environ.setdefault("AUTH_SESSION_CACHE_SECONDS", "0")

from httpx import AsyncClient  # noqa: E402
from litestar import Litestar  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from tests import support  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> str:
    """Recreate this worker's database and run the real migrations on it."""
    support.recreate_database(os.environ["DATABASE_URL"])
    support.migrate_to_head()
    return os.environ["DATABASE_URL"]


@pytest.fixture(autouse=True)
async def clean_state(migrated_database: str) -> AsyncIterator[None]:
    yield
    await support.truncate_all_tables()
    await support.flush_redis()


@pytest.fixture(scope="session")
def app() -> Litestar:
    from ompay.app import create_app

    return create_app()


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncClient]:
    async with support.http_client(app) as http_client:
        yield http_client


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    from config.database import get_alchemy_config

    async with get_alchemy_config().get_session() as db_session:
        yield db_session


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    from config.settings import get_settings
    from ompay.lib.redis import create_redis

    client = create_redis(get_settings().redis)
    yield client
    await client.aclose()
