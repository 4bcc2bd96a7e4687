"""SAQ queues, the retry policy of each, and the workers that serve them.

SAQ's own defaults (10 s timeout, no retry) suit no job of ours, so every enqueue goes
through `ompay.lib.queue.JobDispatcher`, which applies the policy of its queue below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from litestar_saq import QueueConfig, SAQConfig

from config.settings import Settings, get_settings


@dataclass(frozen=True, slots=True)
class JobPolicy:
    timeout: int
    retries: int
    retry_delay: float
    retry_backoff: bool | float


QUEUE_POLICIES: dict[str, JobPolicy] = {
    "notifications": JobPolicy(timeout=30, retries=5, retry_delay=2.0, retry_backoff=True),
    "webhooks": JobPolicy(timeout=30, retries=3, retry_delay=5.0, retry_backoff=True),
    "compliance": JobPolicy(timeout=300, retries=5, retry_delay=10.0, retry_backoff=True),
    "reporting": JobPolicy(timeout=1800, retries=3, retry_delay=60.0, retry_backoff=True),
}


def redis_client_options(settings: Settings) -> dict[str, float]:
    """Fail fast when Redis is down: the outbox keeps the work, callers must not hang."""
    return {
        "socket_connect_timeout": settings.redis.connect_timeout,
        "socket_timeout": settings.redis.socket_timeout,
    }


def dequeue_timeout(settings: Settings) -> float:
    """How long a worker's blocking dequeue waits: well under the socket timeout.

    A dequeue left to block forever is cut by the client's socket timeout while Redis still
    holds it; a job arriving in that gap is moved to `active` with nobody to run it until
    SAQ's sweep, a minute later, puts it back (and a cron job stuck so skips its next ticks).
    """
    return settings.redis.socket_timeout / 2


def build_saq_config(settings: Settings) -> SAQConfig:
    """Every queue serves the whole job table; the jobs import this module, hence the late import."""
    from jobs.exports import start_catch_up
    from jobs.hooks import after_process, before_process
    from jobs.registry import JOBS
    from routes.schedule import scheduled_jobs

    schedule = scheduled_jobs()
    return SAQConfig(
        queue_configs=[
            QueueConfig(
                name=name,
                dsn=settings.redis.url,
                broker_instance_options=redis_client_options(settings),
                tasks=list(JOBS),
                scheduled_tasks=schedule.get(name, []),
                concurrency=settings.queue.concurrency,
                dequeue_timeout=dequeue_timeout(settings),
                shutdown_grace_period_s=settings.queue.shutdown_grace_seconds,
                before_process=[before_process],
                after_process=[after_process],
                startup=[start_catch_up] if name == "reporting" else None,
            )
            for name in QUEUE_POLICIES
        ],
        use_server_lifespan=False,
        web_enabled=False,
    )


@cache
def get_saq_config() -> SAQConfig:
    return build_saq_config(get_settings())
