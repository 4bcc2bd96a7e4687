"""What a job runs with: its own session, the services over it, and its job id as request context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from saq.types import Context
from sqlalchemy.ext.asyncio import AsyncSession

from config.database import get_alchemy_config
from config.queue import get_saq_config
from config.settings import get_settings
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import RequestContext
from ompay.services.container import Platform, Services
from ompay.services.unit_of_work import UnitOfWork


def job_dispatcher() -> JobDispatcher:
    return JobDispatcher(get_saq_config().get_queues().queues)


@asynccontextmanager
async def job_services(ctx: Context) -> AsyncIterator[Services]:
    job = ctx.get("job")
    context = RequestContext(request_id=f"job:{job.id}" if job else None)
    async with get_alchemy_config().get_session() as session, services_over(session, context) as services:
        yield services


@asynccontextmanager
async def services_over(
    session: AsyncSession, context: RequestContext | None = None
) -> AsyncIterator[Services]:
    """Services working in `session`'s transaction: an outbox handler's writes commit with its message."""
    settings = get_settings()
    engine = get_alchemy_config().get_engine()
    async with Platform.short_lived(settings, job_dispatcher(), engine) as platform:
        yield Services(UnitOfWork(session, platform.dispatcher, settings.queue, context), platform)
