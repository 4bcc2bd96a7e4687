"""Queries over the audit trail: unsealed events, the chain head, chain walks, checkpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select, text

from ompay.models import AuditChainCheckpoint, AuditEvent

AUDIT_CHAIN_LOCK = 0x0A0D17  # pg advisory lock key: one sealer at a time


class AuditEventRepository(SQLAlchemyAsyncRepository[AuditEvent]):
    model_type = AuditEvent

    async def lock_chain(self) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})

    async def chain_head(self) -> tuple[int, str] | None:
        stmt = (
            select(AuditEvent.chain_seq, AuditEvent.hash)
            .where(AuditEvent.chain_seq.is_not(None))
            .order_by(AuditEvent.chain_seq.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        return (int(row.chain_seq), str(row.hash)) if row else None

    async def unsealed(self, limit: int) -> Sequence[AuditEvent]:
        stmt = select(AuditEvent).where(AuditEvent.hash.is_(None)).order_by(AuditEvent.id).limit(limit)
        return (await self.session.scalars(stmt)).all()

    async def sealed_in_order(self, batch_size: int = 1000) -> AsyncIterator[AuditEvent]:
        stmt = (
            select(AuditEvent)
            .where(AuditEvent.chain_seq.is_not(None))
            .order_by(AuditEvent.chain_seq)
            .execution_options(yield_per=batch_size)
        )
        async for event in await self.session.stream_scalars(stmt):
            yield event

    async def unsealed_count(self) -> int:
        return int(await self.session.scalar(select(func.count()).where(AuditEvent.hash.is_(None))) or 0)

    async def recorded(self, action: str, target_id: str) -> bool:
        """Whether `action` was ever recorded on this target (marks work done once for all)."""
        stmt = select(AuditEvent.id).where(AuditEvent.action == action, AuditEvent.target_id == target_id)
        return bool(await self.session.scalar(select(stmt.exists())))


class AuditChainCheckpointRepository(SQLAlchemyAsyncRepository[AuditChainCheckpoint]):
    model_type = AuditChainCheckpoint

    async def latest(self, *, intact_only: bool = False) -> AuditChainCheckpoint | None:
        stmt = (
            select(AuditChainCheckpoint)
            .order_by(AuditChainCheckpoint.verified_at.desc(), AuditChainCheckpoint.id.desc())
            .limit(1)
        )
        if intact_only:
            stmt = stmt.where(AuditChainCheckpoint.intact.is_(True))
        return (await self.session.scalars(stmt)).first()
