"""One request's (or job's) transaction, with the outbox and audit trail that ride in it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
        self._after_commit: list[Callable[[], Awaitable[None]]] = []
        self._dispatcher = dispatcher
        self._queue_settings = queue_settings
        self._context = context

    @cached_property
    def outbox(self) -> OutboxService:
        return OutboxService(self.session, self._dispatcher, self._queue_settings)

    @cached_property
    def audit(self) -> AuditService:
        return AuditService(self.session, self._context)

    def after_commit(self, announce: Callable[[], Awaitable[None]]) -> None:
        """Run `announce` once this transaction has committed, never before: another process must
        not act on a change that could still roll back."""
        self._after_commit.append(announce)

    async def commit(self) -> None:
        """Commit errors raise to the caller; only then are the committed outbox rows relayed and
        the announcements made."""
        await self.session.commit()
        if has_committed(self.session):
            await self.outbox.relay_committed()
        announcements, self._after_commit = self._after_commit, []
        for announce in announcements:
            await announce()

    async def rollback(self) -> None:
        """Forgets the pending outbox rows and announcements with the transaction."""
        self._after_commit.clear()
        await self.session.rollback()
