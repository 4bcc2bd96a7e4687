"""Sessions (refresh-token families), refresh tokens and one-time codes; secrets stored hashed."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import OptionalTimestamp, RequiredTimestamp, Timestamp, UUIDv7AuditBase, UUIDv7Base
from ompay.models.enums import OtpPurpose, string_enum


class AuthSession(UUIDv7AuditBase):
    """One sign-in on one device: the family every rotated refresh token belongs to."""

    __tablename__ = "auth_sessions"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[RequiredTimestamp]
    last_used_at: Mapped[Timestamp]
    revoked_at: Mapped[OptionalTimestamp]
    revoked_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)


class RefreshToken(UUIDv7Base):
    __tablename__ = "refresh_tokens"

    session_id: Mapped[UUID] = mapped_column(ForeignKey("auth_sessions.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]
    expires_at: Mapped[RequiredTimestamp]
    used_at: Mapped[OptionalTimestamp]


class OneTimeCode(UUIDv7Base):
    """An OTP: bound to a phone and a purpose (and, for payments, a subject); single use."""

    __tablename__ = "one_time_codes"
    __table_args__ = (
        Index("ix_one_time_codes_live", "phone", "purpose", postgresql_where=text("consumed_at IS NULL")),
    )

    phone: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[OtpPurpose] = mapped_column(string_enum(OtpPurpose, "otp_purpose"))
    subject_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]
    expires_at: Mapped[RequiredTimestamp]
    consumed_at: Mapped[OptionalTimestamp]


class SandboxSms(UUIDv7Base):
    """Messages the sandbox SMS driver 'sent' (never used in production)."""

    __tablename__ = "sandbox_sms"

    phone: Mapped[str] = mapped_column(String(16), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Timestamp]
