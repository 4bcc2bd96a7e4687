"""A cron tick enqueued by two workers' schedulers (the second after the first run finished)
runs once; retries of the run that claimed the tick, and jobs enqueued by hand, still run."""

from __future__ import annotations

import asyncio
import time

from saq.job import Status

from tests import support


async def _run(key: str, tick: int, queue_name: str = "webhooks") -> object:
    queue = support.queues()[queue_name]
    await queue.enqueue("expire_cash_outs", key=key, scheduled=tick)
    await asyncio.sleep(1.1)  # SAQ moves due jobs at most once a second
    await support.run_worker_burst(queue_name)
    job = await queue.job(key)
    assert job is not None
    assert job.status == Status.COMPLETE
    return job.result


async def test_a_tick_enqueued_twice_runs_once() -> None:
    tick = int(time.time())
    assert await _run("tick-first-scheduler", tick) == 0
    assert await _run("tick-second-scheduler", tick) is None
    assert await _run("next-tick", tick + 1) == 0
    runs = await support.query_value(
        "SELECT count(*) FROM scheduled_job_runs WHERE function = 'expire_cash_outs'"
    )
    assert runs == 2


async def test_a_job_enqueued_without_a_tick_always_runs() -> None:
    for _ in range(2):
        await support.enqueue_and_run("webhooks", "expire_cash_outs")
    assert await support.query_value("SELECT count(*) FROM scheduled_job_runs") == 0
