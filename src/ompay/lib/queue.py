"""The one place that enqueues SAQ jobs, always with explicit timeout, retries, backoff and key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Litestar
from litestar_saq import Worker
from saq import Queue

from config.queue import QUEUE_POLICIES, JobPolicy


class JobDispatcher:
    def __init__(
        self, queues: Mapping[str, Queue], policies: Mapping[str, JobPolicy] = QUEUE_POLICIES
    ) -> None:
        self._queues = queues
        self._policies = policies

    async def enqueue(self, queue: str, function: str, *, key: str, **kwargs: Any) -> None:
        """Enqueue `function` on `queue`; a job with the same key still pending is not duplicated."""
        policy = self._policies[queue]
        await self._queues[queue].enqueue(
            function,
            key=key,
            timeout=policy.timeout,
            retries=policy.retries,
            retry_delay=policy.retry_delay,
            retry_backoff=policy.retry_backoff,
            **kwargs,
        )

    async def connect(self) -> None:
        for queue in self._queues.values():
            await queue.connect()

    async def depths(self) -> dict[str, int]:
        """Jobs waiting to be picked up, per queue."""
        return {name: await queue.count("queued") for name, queue in self._queues.items()}


def drop_in_process_worker_hooks(app: Litestar) -> None:
    """Remove litestar-saq's per-queue startup/shutdown hooks from the API process.

    Workers run only under `ompay workers run`; in the API those hooks would only start
    idle SAQ heartbeat threads (which log a crash on every shutdown).
    """
    for hooks in (app.on_startup, app.on_shutdown):
        hooks[:] = [hook for hook in hooks if not isinstance(getattr(hook, "__self__", None), Worker)]
