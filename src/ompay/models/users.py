"""People and staff who use OMPAY."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Date, ForeignKey, Index, Sequence, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import OptionalTimestamp, UUIDv7AuditBase, metadata
from ompay.models.enums import Sex, UserRole, UserStatus, string_enum

ANONYMISED_PHONES = Sequence("anonymised_phones", metadata=metadata)
"""Numbers the placeholder phones of anonymised users: `phone` stays unique without personal data."""


class User(UUIDv7AuditBase):
    __tablename__ = "users"
    __table_args__ = (
        Index(
            "ix_users_awaiting_anonymisation",
            "closed_at",
            postgresql_where=text("closed_at IS NOT NULL AND anonymised_at IS NULL"),
        ),
    )

    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    role: Mapped[UserRole] = mapped_column(string_enum(UserRole, "user_role"), index=True)
    status: Mapped[UserStatus] = mapped_column(string_enum(UserStatus, "user_status"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    national_id: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    sex: Mapped[Sex | None] = mapped_column(string_enum(Sex, "sex"), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    pin_changed_at: Mapped[OptionalTimestamp]
    activated_at: Mapped[OptionalTimestamp]
    last_login_at: Mapped[OptionalTimestamp]
    closed_at: Mapped[OptionalTimestamp]
    anonymised_at: Mapped[OptionalTimestamp]
    """Personal data replaced by placeholders once retention ran out (COMPLIANCE.md)."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
