"""SQLAlchemy models, one module per aggregate, re-exported here."""

from ompay.models.audit import AuditEvent
from ompay.models.auth import AuthSession, OneTimeCode, RefreshToken, SandboxSms
from ompay.models.base import metadata
from ompay.models.compliance import (
    BeneficialOwner,
    Guardianship,
    KybCheck,
    KycCheck,
    KycFile,
    KycLimit,
    KycSubmission,
    Person,
)
from ompay.models.enums import (
    AccountKind,
    AccountStatus,
    CashOutStatus,
    DeliveryOutcome,
    EntryKind,
    EntryStatus,
    GuardianshipStatus,
    KycCheckOutcome,
    KycDocumentType,
    KycFileSide,
    KycRejectReason,
    KycSubmissionStatus,
    KycTier,
    MerchantRole,
    MerchantStatus,
    OtpPurpose,
    PaymentChannel,
    PaymentRequestStatus,
    Sex,
    UserRole,
    UserStatus,
)
from ompay.models.ledger import CashOutRequest, FeeSchedule, JournalEntry, LedgerAccount, Posting, Quote
from ompay.models.merchants import ApiKey, Merchant, MerchantMember
from ompay.models.outbox import OutboxMessage
from ompay.models.payments import PaymentRequest, Refund
from ompay.models.schedule import ScheduledJobRun
from ompay.models.screening import ScreeningEntry, ScreeningListVersion
from ompay.models.users import User
from ompay.models.webhooks import MerchantEvent, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccountKind",
    "AccountStatus",
    "ApiKey",
    "AuditEvent",
    "AuthSession",
    "BeneficialOwner",
    "CashOutRequest",
    "CashOutStatus",
    "DeliveryOutcome",
    "EntryKind",
    "EntryStatus",
    "FeeSchedule",
    "Guardianship",
    "GuardianshipStatus",
    "JournalEntry",
    "KybCheck",
    "KycCheck",
    "KycCheckOutcome",
    "KycDocumentType",
    "KycFile",
    "KycFileSide",
    "KycLimit",
    "KycRejectReason",
    "KycSubmission",
    "KycSubmissionStatus",
    "KycTier",
    "LedgerAccount",
    "Merchant",
    "MerchantEvent",
    "MerchantMember",
    "MerchantRole",
    "MerchantStatus",
    "OneTimeCode",
    "OtpPurpose",
    "OutboxMessage",
    "PaymentChannel",
    "PaymentRequest",
    "PaymentRequestStatus",
    "Person",
    "Posting",
    "Quote",
    "RefreshToken",
    "Refund",
    "SandboxSms",
    "ScheduledJobRun",
    "ScreeningEntry",
    "ScreeningListVersion",
    "Sex",
    "User",
    "UserRole",
    "UserStatus",
    "WebhookDelivery",
    "WebhookEndpoint",
    "metadata",
]
