"""Refused money movements: what the compliance pack counts of the limits people ran into."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import Timestamp, UUIDv7Base


class LimitRefusal(UUIDv7Base):
    """Append-only. Written on its own connection: the refused movement's transaction rolls back."""

    __tablename__ = "limit_refusals"
    __table_args__ = (Index("ix_limit_refusals_refused_brin", "refused_at", postgresql_using="brin"),)

    limit: Mapped[str] = mapped_column(String(24))
    """`max_per_transaction`, `max_balance`, `max_monthly_credits`, `min_per_transaction`, or
    `counterparty` when it was the other party's limit."""
    entry_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """None when the KYC gate refused before the route's movement was built."""
    amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    initiator_type: Mapped[str] = mapped_column(String(20))
    initiator_id: Mapped[str] = mapped_column(String(64))
    refused_at: Mapped[Timestamp]
