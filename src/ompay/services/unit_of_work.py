"""One request's (or job's) transaction, with the outbox and audit trail that ride in it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import QueueSettings
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import AuditService, RequestContext
from ompay.services.outbox import OutboxService


class UnitOfWork:
    """Services write through `session`, `outbox` and `audit`, then call `commit()` exactly once.

    `commit()` lets commit errors raise, then relays the committed outbox rows to the queue.
    """

    def __init__(
        self,
        session: AsyncSession,
        dispatcher: JobDispatcher,
        queue_settings: QueueSettings,
        context: RequestContext | None = None,
    ) -> None:
        self.session = session
        self.outbox = OutboxService(session, dispatcher, queue_settings)
        self.audit = AuditService(session, context)

    async def commit(self) -> None:
        await self.session.commit()
        await self.outbox.relay_committed()

    async def rollback(self) -> None:
        await self.session.rollback()
