"""Readiness: can this instance serve traffic right now, and if not, which component fails."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import HealthSettings
from ompay.lib.metrics import AUDIT_CHAIN_INTACT, OUTBOX_BACKLOG, QUEUE_DEPTH
from ompay.lib.migrations import expected_heads
from ompay.lib.queue import JobDispatcher
from ompay.repositories.audit import AuditChainCheckpointRepository
from ompay.repositories.outbox import OutboxRepository

CHECK_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class ComponentCheck:
    name: str
    ok: bool
    detail: str
    required: bool = True
    """A check that is not required is reported but does not make the instance unready."""

    @property
    def blocks_traffic(self) -> bool:
        return self.required and not self.ok


class HealthService:
    def __init__(
        self,
        session: AsyncSession,
        redis: Redis,
        dispatcher: JobDispatcher,
        settings: HealthSettings,
    ) -> None:
        self.session = session
        self.redis = redis
        self.dispatcher = dispatcher
        self.settings = settings
        self.outbox = OutboxRepository(session=session)
        self.checkpoints = AuditChainCheckpointRepository(session=session)

    async def readiness(self) -> list[ComponentCheck]:
        """Every component is checked, so a 503 names all that fail, not just the first.

        The audit chain is reported, never required: a broken chain is an incident for
        compliance, and refusing traffic would not repair it.
        """
        checks = []
        for name, database_check, required in (
            ("database", self._database, True),
            ("migrations", self._migrations, True),
            ("outbox", self._outbox_backlog, True),
            ("audit_chain", self._audit_chain, False),
        ):
            checks.append(await _timed(name, database_check(), required))
            if not checks[-1].ok:
                await self.session.rollback()
        checks.append(await _timed("redis", self._redis()))
        checks.append(await _timed("queue", self._queue_depth()))
        return checks

    async def _database(self) -> str:
        await self.session.execute(text("SELECT 1"))
        return "ok"

    async def _migrations(self) -> str:
        current = set((await self.session.scalars(text("SELECT version_num FROM alembic_version"))).all())
        if current != expected_heads():
            raise RuntimeError(f"database at {sorted(current)}, code expects {sorted(expected_heads())}")
        return "at head"

    async def _outbox_backlog(self) -> str:
        backlog = await self.outbox.open_count()
        OUTBOX_BACKLOG.set(backlog)
        if backlog > self.settings.max_outbox_backlog:
            raise RuntimeError(f"{backlog} messages waiting (max {self.settings.max_outbox_backlog})")
        return f"{backlog} waiting"

    async def _audit_chain(self) -> str:
        """The latest daily verification, as its checkpoint recorded it (the gauge follows it)."""
        checkpoint = await self.checkpoints.latest()
        if checkpoint is None:
            return "not verified yet"
        AUDIT_CHAIN_INTACT.set(int(checkpoint.intact))
        verified = checkpoint.verified_at.isoformat(timespec="seconds")
        if not checkpoint.intact:
            raise RuntimeError(f"broken at seq {checkpoint.broken_at}, verified {verified}")
        return f"intact at seq {checkpoint.head_seq}, verified {verified}"

    async def _redis(self) -> str:
        await self.redis.ping()
        return "ok"

    async def _queue_depth(self) -> str:
        depths = await self.dispatcher.depths()
        for queue, depth in depths.items():
            QUEUE_DEPTH.labels(queue=queue).set(depth)
        over = {queue: depth for queue, depth in depths.items() if depth > self.settings.max_queue_depth}
        if over:
            raise RuntimeError(f"queues over {self.settings.max_queue_depth}: {over}")
        return f"{sum(depths.values())} queued"


async def _timed(name: str, check: Awaitable[str], required: bool = True) -> ComponentCheck:
    try:
        return ComponentCheck(name, True, await asyncio.wait_for(check, CHECK_TIMEOUT), required)
    except Exception as exc:
        return ComponentCheck(name, False, str(exc) or type(exc).__name__, required)
