"""SQLAlchemy (async, asyncpg) and Alembic configuration for advanced-alchemy."""

from __future__ import annotations

from functools import cache

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from config.settings import BASE_DIR, DatabaseSettings, get_settings
from ompay.lib.db_faults import invalidate_lost_connections

MIGRATIONS_DIR = BASE_DIR / "database" / "migrations"

event.listen(Engine, "handle_error", invalidate_lost_connections)


def build_alchemy_config(settings: DatabaseSettings) -> SQLAlchemyAsyncConfig:
    """Sessions never autocommit: services commit explicitly and let commit errors raise.

    SQL errors and echo never carry bound values (descriptions, references, phones end up
    there), and advanced-alchemy's own `RepositoryError` handler stays out of the app: every
    error answers in our contract (ompay.http.exceptions).

    Connections are pinged when taken from the pool, so one the server killed while it sat
    idle (restart, failover, pg_terminate_backend) is replaced instead of failing a request.
    """
    return SQLAlchemyAsyncConfig(
        connection_string=settings.async_url,
        engine_config=EngineConfig(
            pool_size=settings.pool_size,
            max_overflow=settings.max_overflow,
            pool_timeout=settings.pool_timeout,
            pool_pre_ping=True,
            echo=settings.echo,
            hide_parameters=True,
        ),
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=False),
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR),
            script_config=str(MIGRATIONS_DIR / "alembic.ini"),
            version_table_name="alembic_version",
            compare_type=True,
            render_as_batch=False,
        ),
        create_all=False,
        set_default_exception_handler=False,
    )


@cache
def get_alchemy_config() -> SQLAlchemyAsyncConfig:
    return build_alchemy_config(get_settings().db)


def reports_engine(settings: DatabaseSettings, primary: AsyncEngine) -> AsyncEngine:
    """Where reports and exports read: the replica when DATABASE_REPLICA_URL is set, keeping long
    scans off the primary; else the primary."""
    return primary if settings.replica_async_url is None else _replica_engine(settings.replica_async_url)


@cache
def _replica_engine(url: str) -> AsyncEngine:
    return create_async_engine(url, pool_size=2, max_overflow=2, pool_pre_ping=True, hide_parameters=True)


def hot_read_engine(settings: DatabaseSettings) -> AsyncEngine:
    """The pool of the hot-path reads (`HotReads`): no ping on checkout, which would double their
    round trips; they retry once on a connection the server dropped instead."""
    return _hot_read_engine(settings.async_url, settings.pool_size, settings.max_overflow)


@cache
def _hot_read_engine(url: str, pool_size: int, max_overflow: int) -> AsyncEngine:
    return create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, hide_parameters=True)
