"""Dependency providers: what controllers may ask for by name."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.types import Scope
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import Settings, get_settings
from ompay.http.middleware.request_context import request_id_of
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import RequestContext
from ompay.services.health import HealthService
from ompay.services.unit_of_work import UnitOfWork


def provide_settings() -> Settings:
    return get_settings()


def provide_redis(state: State) -> Redis:
    redis: Redis = state.redis
    return redis


def provide_dispatcher(state: State) -> JobDispatcher:
    dispatcher: JobDispatcher = state.dispatcher
    return dispatcher


def provide_request_context(scope: Scope) -> RequestContext:
    client = scope.get("client")
    return RequestContext(request_id=request_id_of(scope), ip_address=client[0] if client else None)


def provide_unit_of_work(
    db_session: NamedDependency[AsyncSession],
    dispatcher: NamedDependency[JobDispatcher],
    settings: NamedDependency[Settings],
    request_context: NamedDependency[RequestContext],
) -> UnitOfWork:
    return UnitOfWork(db_session, dispatcher, settings.queue, request_context)


def provide_health_service(
    db_session: NamedDependency[AsyncSession],
    redis: NamedDependency[Redis],
    dispatcher: NamedDependency[JobDispatcher],
    settings: NamedDependency[Settings],
) -> HealthService:
    return HealthService(db_session, redis, dispatcher, settings.health)


DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "redis": Provide(provide_redis, sync_to_thread=False),
    "dispatcher": Provide(provide_dispatcher, sync_to_thread=False),
    "request_context": Provide(provide_request_context, sync_to_thread=False),
    "uow": Provide(provide_unit_of_work, sync_to_thread=False),
    "health_service": Provide(provide_health_service, sync_to_thread=False),
}
