"""Compliance freezes: every account of a person stopped at once, lifted only by an officer."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import OptionalTimestamp, Timestamp, UUIDv7Base
from ompay.models.enums import FreezeReason, string_enum


class AccountFreeze(UUIDv7Base):
    """Why a person's accounts are frozen, by whom, and (once lifted) by whom and why.

    Kept apart from the accounts' status so that lifting a merchant suspension can never lift
    a compliance freeze: at most one freeze per person is in force.
    """

    __tablename__ = "account_freezes"
    __table_args__ = (
        Index(
            "uq_account_freezes_in_force",
            "person_id",
            unique=True,
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[FreezeReason] = mapped_column(string_enum(FreezeReason, "freeze_reason"))
    hit_id: Mapped[UUID | None] = mapped_column(ForeignKey("screening_hits.id"), nullable=True)
    frozen_by: Mapped[str] = mapped_column(String(64))
    frozen_at: Mapped[Timestamp]
    lifted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lifted_at: Mapped[OptionalTimestamp]
    lift_note: Mapped[str | None] = mapped_column(Text, nullable=True)
