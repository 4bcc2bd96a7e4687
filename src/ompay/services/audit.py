"""The audit trail: events recorded in the caller's transaction, sealed into a hash chain later,
verified daily against the chain itself and the head the last verification recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import get_logger
from ompay.domain.actors import Actor
from ompay.domain.audit_chain import GENESIS_HASH, ChainLink, link_hash, link_is_valid
from ompay.lib.masking import mask_data
from ompay.lib.metrics import AUDIT_CHAIN_FAILURES, AUDIT_CHAIN_INTACT
from ompay.models import AuditChainCheckpoint, AuditEvent
from ompay.models.base import new_id
from ompay.repositories.audit import AuditChainCheckpointRepository, AuditEventRepository


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Where a change came from: carried onto audit events."""

    request_id: str | None = None
    ip_address: str | None = None


class AuditTarget(TypedDict, total=False):
    """What an event is about: the target and what changed (masked before it is stored)."""

    target_type: str | None
    target_id: str | None
    changes: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ChainVerification:
    intact: bool
    checked: int
    broken_at: int | None
    unsealed: int
    head_seq: int = 0
    """The last link found valid (0 when none is)."""
    head_hash: str | None = None


def chain_content(event: AuditEvent) -> dict[str, Any]:
    """The fields a link's hash covers; chain_seq is included so links cannot be reordered."""
    return {
        "id": str(event.id),
        "seq": event.chain_seq,
        "occurred_at": event.occurred_at,
        "actor_type": event.actor_type,
        "actor_id": event.actor_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "changes": event.changes,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
    }


logger = get_logger(__name__)


class AuditService:
    def __init__(self, session: AsyncSession, context: RequestContext | None = None) -> None:
        self.session = session
        self.repository = AuditEventRepository(session=session)
        self.context = context or RequestContext()

    def record(self, action: str, actor: Actor, **about: Unpack[AuditTarget]) -> AuditEvent:
        """Add an audit event to the caller's transaction, personal data masked."""
        event = AuditEvent(**self.values(action, actor, **about))
        self.session.add(event)
        return event

    def values(self, action: str, actor: Actor, **about: Unpack[AuditTarget]) -> dict[str, Any]:
        """An audit event's columns, personal data masked, for a statement that inserts it itself."""
        return {
            "id": new_id(),
            "action": action,
            "actor_type": actor.type,
            "actor_id": actor.id,
            "target_type": about.get("target_type"),
            "target_id": about.get("target_id"),
            "changes": mask_data(about.get("changes") or {}),
            "request_id": self.context.request_id,
            "ip_address": self.context.ip_address,
        }

    async def seal_pending(self, batch_size: int = 500) -> int:
        """Chain every unsealed event, in id (time) order, under one advisory lock."""
        sealed = 0
        while True:
            await self.repository.lock_chain()
            head = await self.repository.chain_head()
            seq, prev_hash = head if head else (0, GENESIS_HASH)
            events = await self.repository.unsealed(batch_size)
            for event in events:
                seq += 1
                event.chain_seq = seq
                event.prev_hash = prev_hash
                event.hash = prev_hash = link_hash(prev_hash, chain_content(event))
            await self.session.commit()
            sealed += len(events)
            if len(events) < batch_size:
                return sealed

    async def verify_chain(self, pinned: AuditChainCheckpoint | None = None) -> ChainVerification:
        """Walk the chain in order; the first link that does not verify is reported.

        With `pinned` (an earlier intact checkpoint) the link at its head must still carry its
        hash and the chain must still reach it: a chain rewritten or cut after that
        verification, hashes recomputed, is broken at the pinned link.
        """
        expected_prev, checked, broken_at = GENESIS_HASH, 0, None
        head_seq, head_hash = 0, None
        async for event in self.repository.sealed_in_order():
            link = ChainLink(
                seq=event.chain_seq or 0,
                content=chain_content(event),
                prev_hash=event.prev_hash or "",
                hash=event.hash or "",
            )
            checked += 1
            moved_pin = pinned is not None and link.seq == pinned.head_seq and link.hash != pinned.head_hash
            if moved_pin or not link_is_valid(link, expected_prev):
                broken_at = link.seq
                break
            expected_prev = head_hash = link.hash
            head_seq = link.seq
        if broken_at is None and pinned is not None and head_seq < pinned.head_seq:
            broken_at = head_seq + 1
        unsealed = await self.repository.unsealed_count()
        return ChainVerification(broken_at is None, checked, broken_at, unsealed, head_seq, head_hash)

    async def seal_and_verify(self) -> ChainVerification:
        """Seal what is pending, verify the chain, record the checkpoint, raise the alarm on a break.

        The checkpoint is what readiness and `/metrics` of every process report, since the
        counter only counts in the process that verified.
        """
        await self.seal_pending()
        checkpoints = AuditChainCheckpointRepository(session=self.session)
        verification = await self.verify_chain(await checkpoints.latest(intact_only=True))
        self.session.add(
            AuditChainCheckpoint(
                head_seq=verification.head_seq,
                head_hash=verification.head_hash,
                checked=verification.checked,
                intact=verification.intact,
                broken_at=verification.broken_at,
            )
        )
        await self.session.commit()
        AUDIT_CHAIN_INTACT.set(int(verification.intact))
        if verification.intact:
            await logger.ainfo("audit chain verified", checked=verification.checked)
        else:
            AUDIT_CHAIN_FAILURES.inc()
            await logger.aerror(
                "audit chain broken", broken_at=verification.broken_at, checked=verification.checked
            )
        return verification
