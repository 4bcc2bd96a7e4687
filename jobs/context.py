"""What a job runs with: its own session, the services over it, and its job id as request context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from saq.types import Context

from config.database import get_alchemy_config
from config.queue import get_saq_config
from config.settings import get_settings
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import RequestContext
from ompay.services.container import Services, short_lived_services


def job_dispatcher() -> JobDispatcher:
    return JobDispatcher(get_saq_config().get_queues().queues)


@asynccontextmanager
async def job_services(ctx: Context) -> AsyncIterator[Services]:
    job = ctx.get("job")
    context = RequestContext(request_id=f"job:{job.id}" if job else None)
    alchemy = get_alchemy_config()
    async with (
        alchemy.get_session() as session,
        short_lived_services(
            session, get_settings(), job_dispatcher(), alchemy.get_engine(), context
        ) as services,
    ):
        yield services
