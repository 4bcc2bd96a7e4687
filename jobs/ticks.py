"""Cron jobs run once per tick, however many workers' schedulers enqueued it.

Every worker runs SAQ's scheduler, which enqueues each tick under one key per job; a worker
that enqueues a tick just after another worker's run of it finished starts it again. The
first run of a tick records it in `scheduled_job_runs`; a later one finds it there and stops.
Retries of the run that claimed the tick go on.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from saq.types import Context

from config.database import get_alchemy_config
from config.logging import get_logger
from ompay.repositories.schedule import RUNS_KEPT, ScheduledJobRunRepository

T = TypeVar("T")
CronFunction = Callable[[Context], Awaitable[T]]

logger = get_logger(__name__)


def once_per_tick(function: CronFunction[T]) -> CronFunction[T | None]:
    @functools.wraps(function)
    async def run(ctx: Context) -> T | None:
        job = ctx.get("job")
        if job is not None and job.scheduled and job.attempts <= 1 and not await _claim(job):
            await logger.adebug("tick already run by another worker", tick=job.scheduled)
            return None
        return await function(ctx)

    return run


async def _claim(job: Any) -> bool:
    tick = datetime.fromtimestamp(job.scheduled, UTC)
    async with get_alchemy_config().get_session() as session:
        runs = ScheduledJobRunRepository(session=session)
        claimed = await runs.claim(job.function, tick)
        await runs.forget_before(job.function, tick - RUNS_KEPT)
        await session.commit()
    return claimed
