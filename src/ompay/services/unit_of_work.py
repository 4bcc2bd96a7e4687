"""One request's (or job's) transaction, with the outbox and audit trail that ride in it."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import QueueSettings
from ompay.lib.outbox import has_committed
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import AuditService, RequestContext
from ompay.services.outbox import OutboxService


class UnitOfWork:
    """Services write through `session`, `outbox` and `audit`, then call `commit()` exactly once.

    `commit()` lets commit errors raise, then relays the committed outbox rows to the queue.
    The outbox and audit writers are built on first use: most requests only read.
    """

    def __init__(
        self,
        session: AsyncSession,
        dispatcher: JobDispatcher,
        queue_settings: QueueSettings,
        context: RequestContext | None = None,
    ) -> None:
        self.session = session
        self._dispatcher = dispatcher
        self._queue_settings = queue_settings
        self._context = context

    @cached_property
    def outbox(self) -> OutboxService:
        return OutboxService(self.session, self._dispatcher, self._queue_settings)

    @cached_property
    def audit(self) -> AuditService:
        return AuditService(self.session, self._context)

    async def commit(self) -> None:
        """Commit errors raise to the caller; only then are the committed outbox rows relayed."""
        await self.session.commit()
        if has_committed(self.session):
            await self.outbox.relay_committed()

    async def rollback(self) -> None:
        """Forgets the pending outbox rows with the transaction."""
        await self.session.rollback()
