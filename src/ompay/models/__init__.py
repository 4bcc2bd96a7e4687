"""SQLAlchemy models, one module per aggregate, re-exported here."""

from ompay.models.audit import AuditEvent
from ompay.models.auth import AuthSession, OneTimeCode, RefreshToken, SandboxSms
from ompay.models.base import metadata
from ompay.models.enums import (
    AccountKind,
    AccountStatus,
    CashOutStatus,
    EntryKind,
    EntryStatus,
    OtpPurpose,
    Sex,
    UserRole,
    UserStatus,
)
from ompay.models.ledger import CashOutRequest, FeeSchedule, JournalEntry, LedgerAccount, Posting, Quote
from ompay.models.outbox import OutboxMessage
from ompay.models.users import User

__all__ = [
    "AccountKind",
    "AccountStatus",
    "AuditEvent",
    "AuthSession",
    "CashOutRequest",
    "CashOutStatus",
    "EntryKind",
    "EntryStatus",
    "FeeSchedule",
    "JournalEntry",
    "LedgerAccount",
    "OneTimeCode",
    "OtpPurpose",
    "OutboxMessage",
    "Posting",
    "Quote",
    "RefreshToken",
    "SandboxSms",
    "Sex",
    "User",
    "UserRole",
    "UserStatus",
    "metadata",
]
