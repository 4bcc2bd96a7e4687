"""Bookkeeping that ties outbox rows to the fate of their transaction.

Rows added to a session are *pending*; SQLAlchemy's `after_commit` promotes them to
*committed*, a rollback forgets them. Only committed rows are ever relayed, so a
rolled-back change can never enqueue a job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_PENDING = "ompay.outbox.pending"
_COMMITTED = "ompay.outbox.committed"

OUTBOX_JOB = "deliver_outbox_message"


@dataclass(frozen=True, slots=True)
class Topic:
    """A kind of side effect and the queue whose workers perform it."""

    name: str
    queue: str


def track_pending(session: AsyncSession, message_id: UUID, queue: str) -> None:
    session.info.setdefault(_PENDING, []).append((message_id, queue))


def has_committed(session: AsyncSession) -> bool:
    return bool(session.info.get(_COMMITTED))


def take_committed(session: AsyncSession) -> list[tuple[UUID, str]]:
    committed: list[tuple[UUID, str]] = session.info.pop(_COMMITTED, [])
    return committed


@event.listens_for(Session, "after_commit")
def _promote_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    session.info.pop(_PENDING, None)


def job_key(message_id: UUID) -> str:
    return f"outbox:{message_id}"


def json_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Payloads are stored as JSONB; refuse anything msgspec cannot encode before the insert."""
    import msgspec

    result: dict[str, Any] = msgspec.to_builtins(payload)
    return result
