"""The outbox: side effects written with the change, relayed to SAQ after commit, run once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Literal
from uuid import UUID

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import get_logger
from config.settings import QueueSettings
from ompay.lib import outbox as bookkeeping
from ompay.lib.masking import mask_text
from ompay.lib.metrics import OUTBOX_DELIVERIES, OUTBOX_RELAY_FAILURES
from ompay.lib.queue import JobDispatcher
from ompay.models import OutboxMessage
from ompay.models.base import new_id
from ompay.repositories.outbox import OutboxRepository

OutboxEffect = Callable[[OutboxMessage], Awaitable[None]]
"""A topic's side effect, bound to the delivering transaction (its writes commit with the message)."""
DeliveryOutcome = Literal["processed", "skipped"]

SETTLE = timedelta(seconds=5)
_QUEUE_DOWN = (RedisError, OSError, TimeoutError)

logger = get_logger(__name__)


class OutboxService:
    def __init__(self, session: AsyncSession, dispatcher: JobDispatcher, settings: QueueSettings) -> None:
        self.session = session
        self.repository = OutboxRepository(session=session)
        self.dispatcher = dispatcher
        self.settings = settings

    def add(self, topic: bookkeeping.Topic, payload: dict[str, Any]) -> OutboxMessage:
        """Record a side effect in the caller's transaction; it is relayed only if that commits."""
        message = OutboxMessage(**self.values(topic, payload))
        self.session.add(message)
        self.track(message.id, message.queue)
        return message

    @staticmethod
    def values(topic: bookkeeping.Topic, payload: dict[str, Any]) -> dict[str, Any]:
        """A message's columns, for a statement that inserts it itself (then `track` it)."""
        return {
            "id": new_id(),
            "topic": topic.name,
            "queue": topic.queue,
            "payload": bookkeeping.json_payload(payload),
        }

    def track(self, message_id: UUID, queue: str) -> None:
        """Relay the message once the caller's transaction has committed; forget it on rollback."""
        bookkeeping.track_pending(self.session, message_id, queue)

    async def relay_committed(self) -> int:
        """Enqueue what the last commit recorded. Never raises: the sweep retries what fails here."""
        committed = bookkeeping.take_committed(self.session)
        dispatched = await self._enqueue_all(committed) if committed else []
        if not dispatched:
            return 0
        try:
            await self.repository.mark_dispatched(dispatched)
            await self.session.commit()
        except SQLAlchemyError as exc:
            await logger.awarning("outbox dispatch mark deferred to sweep", error=type(exc).__name__)
            await self.session.rollback()
        return len(dispatched)

    async def sweep(self, settle: timedelta = SETTLE) -> int:
        """Dispatch messages the after-commit relay missed (Redis down, process killed).

        Messages younger than `settle` are left to the relay still running for them.
        """
        due = await self.repository.lock_due_for_dispatch(
            limit=self.settings.outbox_sweep_batch,
            settle=settle,
            redispatch_after=timedelta(seconds=self.settings.outbox_redispatch_after),
        )
        dispatched = await self._enqueue_all(due) if due else []
        if dispatched:
            await self.repository.mark_dispatched(dispatched)
        await self.session.commit()
        return len(dispatched)

    async def deliver(
        self, message_id: UUID, effect_for: Callable[[str], OutboxEffect], lease: timedelta
    ) -> DeliveryOutcome:
        """Run a message's handler at most once to completion.

        A lease stops two deliveries of the same message running together; the handler's
        database writes commit together with `processed_at`, so they happen exactly once.
        """
        message = await self.repository.claim(message_id, lease)
        await self.session.commit()
        if message is None:
            OUTBOX_DELIVERIES.labels(outcome="skipped").inc()
            return "skipped"
        attempts = message.attempts
        try:
            await effect_for(message.topic)(message)
            await self.repository.mark_processed(message_id)
            await self.session.commit()
        except Exception as exc:
            await self.session.rollback()
            dead = attempts >= self.settings.outbox_max_attempts
            await self.repository.record_failure(message_id, mask_text(repr(exc))[:2000], dead=dead)
            await self.session.commit()
            OUTBOX_DELIVERIES.labels(outcome="dead" if dead else "failed").inc()
            raise
        OUTBOX_DELIVERIES.labels(outcome="processed").inc()
        await self.relay_committed()
        return "processed"

    async def open_count(self) -> int:
        """The backlog `/health/ready` compares with its threshold."""
        return await self.repository.open_count()

    async def _enqueue_all(self, messages: list[tuple[UUID, str]]) -> list[UUID]:
        dispatched: list[UUID] = []
        for message_id, queue in messages:
            try:
                await self.dispatcher.enqueue(
                    queue,
                    bookkeeping.OUTBOX_JOB,
                    key=bookkeeping.job_key(message_id),
                    message_id=str(message_id),
                )
            except _QUEUE_DOWN as exc:
                OUTBOX_RELAY_FAILURES.inc()
                await logger.awarning(
                    "queue unavailable, outbox message left for sweep", error=type(exc).__name__
                )
                break
            dispatched.append(message_id)
        return dispatched
