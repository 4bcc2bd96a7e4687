"""The tamper-evident audit trail (COMPLIANCE.md "Audit trail").

Rows are inserted unsealed inside the business transaction; a single sealer later assigns
`chain_seq`, `prev_hash` and `hash`, the one update the database trigger allows. Sealing off
the hot path keeps a global lock out of every money movement.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import JsonObject, Timestamp, UUIDv7Base


class AuditEvent(UUIDv7Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_unsealed", "id", postgresql_where=text("hash IS NULL")),)

    occurred_at: Mapped[Timestamp]
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(100), index=True)
    target_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    changes: Mapped[JsonObject]
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditChainCheckpoint(UUIDv7Base):
    """One verification of the whole chain and the head it reached (append-only, by trigger).

    A checkpoint pins the head's hash outside the chain: rewriting the chain from some link on,
    hashes recomputed, still disagrees with the heads recorded before.
    """

    __tablename__ = "audit_chain_checkpoints"

    verified_at: Mapped[Timestamp]
    head_seq: Mapped[int] = mapped_column(BigInteger)
    """The last link found valid (0 for an empty chain)."""
    head_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    checked: Mapped[int] = mapped_column(BigInteger)
    intact: Mapped[bool]
    broken_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
