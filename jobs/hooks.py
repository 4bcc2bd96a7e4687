"""Worker hooks: every log line of a job carries its job id; every run is measured.

A sweep that found nothing to do (it returns a count of 0) logs at DEBUG: the periodic jobs
run every few seconds, and an idle worker's log should stay quiet.
"""

from __future__ import annotations

import structlog
from saq import Job
from saq.types import Context
from saq.utils import now

from config.logging import get_logger
from ompay.lib.metrics import JOB_DURATION, JOB_RUNS

logger = get_logger(__name__)


async def before_process(ctx: Context) -> None:
    structlog.contextvars.clear_contextvars()
    job = ctx.get("job")
    if job is not None:
        structlog.contextvars.bind_contextvars(job_id=job.id, job=job.function)


async def after_process(ctx: Context) -> None:
    job = ctx.get("job")
    if job is not None:
        elapsed = (now() - job.started) / 1000
        status = job.status.value if hasattr(job.status, "value") else str(job.status)
        JOB_RUNS.labels(function=job.function, status=status).inc()
        JOB_DURATION.labels(function=job.function).observe(elapsed)
        log = logger.aerror if job.error else logger.adebug if _found_nothing(job) else logger.ainfo
        await log("job finished", status=status, attempts=job.attempts, duration_ms=round(elapsed * 1000, 1))
    structlog.contextvars.clear_contextvars()


def _found_nothing(job: Job) -> bool:
    return type(job.result) is int and job.result == 0
