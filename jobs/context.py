"""What a job runs with: its own session, the dispatcher, and its job id as request context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from saq.types import Context

from config.database import get_alchemy_config
from config.queue import get_saq_config
from config.settings import get_settings
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import RequestContext
from ompay.services.unit_of_work import UnitOfWork


def job_dispatcher() -> JobDispatcher:
    return JobDispatcher(get_saq_config().get_queues().queues)


@asynccontextmanager
async def job_unit_of_work(ctx: Context) -> AsyncIterator[UnitOfWork]:
    job = ctx.get("job")
    context = RequestContext(request_id=f"job:{job.id}" if job else None)
    async with get_alchemy_config().get_session() as session:
        yield UnitOfWork(session, job_dispatcher(), get_settings().queue, context)
