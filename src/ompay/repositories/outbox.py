"""Queries over the outbox: what to dispatch, claiming a message, recording its fate."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import and_, func, or_, select, update

from ompay.models import OutboxMessage

_open = and_(OutboxMessage.processed_at.is_(None), OutboxMessage.failed_at.is_(None))


class OutboxRepository(SQLAlchemyAsyncRepository[OutboxMessage]):
    model_type = OutboxMessage

    async def lock_due_for_dispatch(
        self, limit: int, settle: timedelta, redispatch_after: timedelta
    ) -> list[tuple[UUID, str]]:
        """Open messages never dispatched (older than `settle`) or dispatched long ago and still open."""
        now = func.now()
        due = or_(
            and_(OutboxMessage.dispatched_at.is_(None), OutboxMessage.created_at < now - settle),
            OutboxMessage.dispatched_at < now - redispatch_after,
        )
        stmt = (
            select(OutboxMessage.id, OutboxMessage.queue)
            .where(_open, due)
            .order_by(OutboxMessage.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [(row.id, row.queue) for row in await self.session.execute(stmt)]

    async def mark_dispatched(self, ids: list[UUID]) -> None:
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(dispatched_at=func.now())
        )

    async def claim(self, message_id: UUID, lease: timedelta) -> OutboxMessage | None:
        """Lease an open message to one worker; None when processed, dead or leased elsewhere."""
        stmt = (
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                _open,
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < func.now()),
            )
            .values(locked_until=func.now() + lease, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def mark_processed(self, message_id: UUID) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(processed_at=func.now(), locked_until=None, last_error=None)
        )

    async def record_failure(self, message_id: UUID, error: str, *, dead: bool) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(locked_until=None, last_error=error, failed_at=func.now() if dead else None)
        )

    async def open_count(self) -> int:
        return int(await self.session.scalar(select(func.count()).where(_open)) or 0)
