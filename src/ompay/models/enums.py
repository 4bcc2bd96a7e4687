"""Enumerations stored as strings with CHECK constraints (readable in SQL, safe to extend)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class UserRole(StrEnum):
    CUSTOMER = "customer"
    MERCHANT = "merchant"
    AGENT = "agent"
    COMPLIANCE_OFFICER = "compliance_officer"
    SUPPORT = "support"
    ADMIN = "admin"


class KycTier(StrEnum):
    """Whose limits apply (COMPLIANCE.md "KYC tiers and limits"): people by KYC, businesses by KYB."""

    TIER0 = "tier0"
    TIER1 = "tier1"
    MERCHANT = "merchant"
    AGENT = "agent"


class KycDocumentType(StrEnum):
    CEDEAO_ID_CARD = "cedeao_id_card"
    PASSPORT = "passport"


class GuardianshipStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class KycFileSide(StrEnum):
    FRONT = "front"
    BACK = "back"
    SELFIE = "selfie"


class KycSubmissionStatus(StrEnum):
    CHECKING = "checking"
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    """The approved document ran out: a new one is asked for (a re-KYC request)."""


class KycCheckOutcome(StrEnum):
    PASSED = "passed"
    REVIEW = "review"
    FAILED = "failed"
    NOT_SCREENED = "not_screened"


class KycRejectReason(StrEnum):
    """Why an officer refused a document; internal, never shown or texted to the customer."""

    UNREADABLE = "unreadable"
    EXPIRED = "expired"
    DATA_MISMATCH = "data_mismatch"
    UNDERAGE = "underage"
    DUPLICATE_IDENTITY = "duplicate_identity"
    SUSPECTED_FRAUD = "suspected_fraud"
    OTHER = "other"


class UserStatus(StrEnum):
    PENDING_VERIFICATION = "pending_verification"
    ACTIVE = "active"
    LOCKED = "locked"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class AccountKind(StrEnum):
    CUSTOMER_WALLET = "customer_wallet"
    MERCHANT_WALLET = "merchant_wallet"
    AGENT_FLOAT = "agent_float"
    FEE_REVENUE = "fee_revenue"
    EMONEY_ISSUANCE = "emoney_issuance"
    SUSPENSE = "suspense"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    FROZEN = "frozen"
    CLOSED = "closed"


class EntryKind(StrEnum):
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    P2P_TRANSFER = "p2p_transfer"
    MERCHANT_PAYMENT = "merchant_payment"
    REFUND = "refund"
    FEE = "fee"
    REVERSAL = "reversal"
    FLOAT_FUNDING = "float_funding"
    ADJUSTMENT = "adjustment"


class EntryStatus(StrEnum):
    POSTED = "posted"
    REVERSED = "reversed"


class CashOutStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


class OtpPurpose(StrEnum):
    ACTIVATION = "activation"
    LOGIN = "login"
    PIN_RESET = "pin_reset"
    PAYMENT_CONFIRMATION = "payment_confirmation"


class MerchantStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class MerchantRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class PaymentRequestStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class PaymentChannel(StrEnum):
    """How a payment was completed."""

    APP = "app"
    TILL_OTP = "till_otp"
    QR = "qr"
    PAYMENT_CODE = "payment_code"
    MERCHANT_CODE = "merchant_code"
    SANDBOX = "sandbox"


class DeliveryOutcome(StrEnum):
    SENDING = "sending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DEAD = "dead"


class ScreeningTrigger(StrEnum):
    """Why a subject was screened (COMPLIANCE.md: registration, KYC, payees, every list update)."""

    REGISTRATION = "registration"
    KYC_CHECKS = "kyc_checks"
    KYB_CHECKS = "kyb_checks"
    PAYEE = "payee"
    LIST_UPDATE = "list_update"


class ScreeningOutcome(StrEnum):
    CLEAR = "clear"
    POTENTIAL_HIT = "potential_hit"
    EXACT_ID_HIT = "exact_id_hit"


class ScreeningHitStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class FreezeReason(StrEnum):
    SANCTIONS_EXACT_ID = "sanctions_exact_id"
    CONFIRMED_HIT = "confirmed_hit"


class MonitoringOutcome(StrEnum):
    """In rising order: the highest outcome of the rules that fire is the decision's."""

    APPROVE = "approve"
    REVIEW = "review"
    BLOCK_AND_REVIEW = "block_and_review"
    DECLINE = "decline"


class CaseStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    CLOSED = "closed"


class CaseDecision(StrEnum):
    DISMISS = "dismiss"
    ESCALATE = "escalate"
    FILE_STR = "file_str"


class ExportStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    """Its last generation failed; the next request or catch-up tries again."""


def string_enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
