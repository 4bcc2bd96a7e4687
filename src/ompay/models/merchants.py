"""Merchants, the people who run them, and their API keys (stored as keyed hashes)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import OptionalTimestamp, Timestamp, UUIDv7AuditBase, UUIDv7Base
from ompay.models.enums import MerchantRole, MerchantStatus, string_enum


class Merchant(UUIDv7AuditBase):
    __tablename__ = "merchants"

    code: Mapped[str] = mapped_column(String(11), unique=True)
    business_name: Mapped[str] = mapped_column(String(160))
    trade_name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(60))
    ninea: Mapped[str | None] = mapped_column(String(20), nullable=True)
    rccm: Mapped[str | None] = mapped_column(String(40), nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[MerchantStatus] = mapped_column(string_enum(MerchantStatus, "merchant_status"))
    wallet_id: Mapped[UUID] = mapped_column(ForeignKey("ledger_accounts.id"), unique=True)
    approved_at: Mapped[OptionalTimestamp]
    suspended_at: Mapped[OptionalTimestamp]


class MerchantMember(UUIDv7Base):
    """A user who runs a merchant: its owner (manages keys and webhooks) or staff."""

    __tablename__ = "merchant_members"
    __table_args__ = (UniqueConstraint("merchant_id", "user_id"),)

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[MerchantRole] = mapped_column(string_enum(MerchantRole, "merchant_role"))
    created_at: Mapped[Timestamp]


class ApiKey(UUIDv7AuditBase):
    """A merchant's server credential: only its keyed hash is kept; `hint` helps people tell keys apart."""

    __tablename__ = "api_keys"

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    hint: Mapped[str] = mapped_column(String(24))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    allowed_ips: Mapped[list[str] | None] = mapped_column(ARRAY(String(50)), nullable=True)
    created_by: Mapped[UUID] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[OptionalTimestamp]
    expires_at: Mapped[OptionalTimestamp]
    revoked_at: Mapped[OptionalTimestamp]
