"""Side effects recorded in the same transaction as the change that causes them."""

from __future__ import annotations

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import JsonObject, OptionalTimestamp, Timestamp, UUIDv7Base


class OutboxMessage(UUIDv7Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_open",
            "created_at",
            postgresql_where=text("processed_at IS NULL AND failed_at IS NULL"),
        ),
    )

    topic: Mapped[str] = mapped_column(String(100))
    queue: Mapped[str] = mapped_column(String(50))
    payload: Mapped[JsonObject]
    created_at: Mapped[Timestamp]
    dispatched_at: Mapped[OptionalTimestamp]
    processed_at: Mapped[OptionalTimestamp]
    failed_at: Mapped[OptionalTimestamp]
    locked_until: Mapped[OptionalTimestamp]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
