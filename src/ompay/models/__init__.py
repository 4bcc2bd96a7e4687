"""SQLAlchemy models, one module per aggregate, re-exported here."""

from ompay.models.audit import AuditEvent
from ompay.models.auth import AuthSession, OneTimeCode, RefreshToken, SandboxSms
from ompay.models.base import metadata
from ompay.models.enums import AccountKind, AccountStatus, OtpPurpose, Sex, UserRole, UserStatus
from ompay.models.ledger import LedgerAccount
from ompay.models.outbox import OutboxMessage
from ompay.models.users import User

__all__ = [
    "AccountKind",
    "AccountStatus",
    "AuditEvent",
    "AuthSession",
    "LedgerAccount",
    "OneTimeCode",
    "OtpPurpose",
    "OutboxMessage",
    "RefreshToken",
    "SandboxSms",
    "Sex",
    "User",
    "UserRole",
    "UserStatus",
    "metadata",
]
