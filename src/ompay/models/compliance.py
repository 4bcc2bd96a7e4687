"""KYC: the persons behind accounts, their tiers, and the tier limits as versioned data.

A person is whoever limits are summed for: a customer identified by national ID (every wallet
of the same ID counts together), an agent, or a business behind a merchant wallet.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import RequiredTimestamp, Timestamp, UUIDv7AuditBase, UUIDv7Base
from ompay.models.enums import KycTier, string_enum


class Person(UUIDv7AuditBase):
    """The limit holder; its row is also the monthly-credit counter locked in the money transaction."""

    __tablename__ = "persons"

    national_id: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    tier: Mapped[KycTier] = mapped_column(string_enum(KycTier, "kyc_tier"))
    credits_month: Mapped[date | None] = mapped_column(Date, nullable=True)
    credits_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class KycLimit(UUIDv7Base):
    """One version of a tier's limits; the version in force is the latest already effective.

    Append-only (a trigger refuses UPDATE and DELETE): a change is a new version, so every
    past refusal can be explained by the limits in force at its time. NULL means no limit.
    """

    __tablename__ = "kyc_limits"
    __table_args__ = (
        UniqueConstraint("tier", "version"),
        Index("ix_kyc_limits_in_force", "tier", "effective_from"),
    )

    tier: Mapped[KycTier] = mapped_column(string_enum(KycTier, "kyc_limit_tier"))
    version: Mapped[int]
    max_balance: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    max_monthly_credits: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    max_per_transaction: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    effective_from: Mapped[RequiredTimestamp]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]
