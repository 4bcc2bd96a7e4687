"""KYC: the persons behind accounts, their tiers, and the tier limits as versioned data.

A person is whoever limits are summed for: a customer identified by national ID (every wallet
of the same ID counts together), an agent, or a business behind a merchant wallet.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import BigInteger, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import (
    JsonObject,
    OptionalTimestamp,
    RequiredTimestamp,
    Timestamp,
    UUIDv7AuditBase,
    UUIDv7Base,
)
from ompay.models.enums import (
    GuardianshipStatus,
    KycCheckOutcome,
    KycDocumentType,
    KycRejectReason,
    KycSubmissionStatus,
    KycTier,
    string_enum,
)


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


class KycSubmission(UUIDv7AuditBase):
    """An identity document a customer submitted, its automatic checks' verdict and the officer's decision."""

    __tablename__ = "kyc_submissions"
    __table_args__ = (Index("ix_kyc_submissions_queue", "status", "id"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    document_type: Mapped[KycDocumentType] = mapped_column(string_enum(KycDocumentType, "kyc_document_type"))
    document_number: Mapped[str] = mapped_column(String(20), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[KycSubmissionStatus] = mapped_column(
        string_enum(KycSubmissionStatus, "kyc_submission_status")
    )
    checks_outcome: Mapped[KycCheckOutcome | None] = mapped_column(
        string_enum(KycCheckOutcome, "kyc_checks_outcome"), nullable=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[OptionalTimestamp]
    reject_reason: Mapped[KycRejectReason | None] = mapped_column(
        string_enum(KycRejectReason, "kyc_reject_reason"), nullable=True
    )
    expiry_reminded_at: Mapped[OptionalTimestamp]


class KycFile(UUIDv7Base):
    """An image or PDF of a submission, kept encrypted in the object store; only its record is here."""

    __tablename__ = "kyc_files"
    __table_args__ = (UniqueConstraint("submission_id", "side"),)

    submission_id: Mapped[UUID] = mapped_column(ForeignKey("kyc_submissions.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    key_version: Mapped[int]
    created_at: Mapped[Timestamp]


class CheckResultColumns:
    """What every automatic check records, KYC or KYB: its name, the facts it looked at, when."""

    check: Mapped[str] = mapped_column(String(40))
    facts: Mapped[JsonObject]
    created_at: Mapped[Timestamp]


class KycCheck(CheckResultColumns, UUIDv7Base):
    """One automatic check's result on a submission (shown to officers)."""

    __tablename__ = "kyc_checks"

    submission_id: Mapped[UUID] = mapped_column(ForeignKey("kyc_submissions.id"), index=True)
    outcome: Mapped[KycCheckOutcome] = mapped_column(string_enum(KycCheckOutcome, "kyc_check_outcome"))


class BeneficialOwner(UUIDv7Base):
    """Who ultimately owns or controls a merchant (KYB), each checked and screened like a customer."""

    __tablename__ = "beneficial_owners"

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    national_id: Mapped[str] = mapped_column(String(20))
    share_percent: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[Timestamp]


class KybCheck(CheckResultColumns, UUIDv7Base):
    """One automatic KYB check's result on a merchant (shown to officers)."""

    __tablename__ = "kyb_checks"

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id"), index=True)
    outcome: Mapped[KycCheckOutcome] = mapped_column(string_enum(KycCheckOutcome, "kyb_check_outcome"))


class Guardianship(UUIDv7Base):
    """A minor's wallet linked to a `tier1` guardian, who approves the link with their PIN."""

    __tablename__ = "guardianships"

    minor_user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    guardian_user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[GuardianshipStatus] = mapped_column(string_enum(GuardianshipStatus, "guardianship_status"))
    approved_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp]
