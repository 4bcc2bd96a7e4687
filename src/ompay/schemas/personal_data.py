"""A customer's export of their own data, and an officer closing an account."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from ompay.models import (
    AccountKind,
    AccountStatus,
    EntryKind,
    KycDocumentType,
    KycSubmissionStatus,
    KycTier,
    Sex,
    UserRole,
    UserStatus,
)
from ompay.schemas.fields import Reason, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.identity.personal_data import PersonalData


class ExportedProfile(Resource, frozen=True):
    """Unmasked: it is the caller's own data."""

    id: UUID
    role: UserRole
    status: UserStatus
    first_name: str
    last_name: str
    phone: str
    email: str | None
    sex: Sex | None
    birth_date: date | None
    national_id: str | None
    created_at: datetime
    activated_at: datetime | None
    last_login_at: datetime | None
    closed_at: datetime | None


class ExportedSubmission(Resource, frozen=True):
    """What the customer declared and where it stands; never the checks or an officer's reason."""

    id: UUID
    document_type: KycDocumentType
    document_number: str
    status: KycSubmissionStatus
    issued_on: date
    expires_on: date
    created_at: datetime
    decided_at: datetime | None


class ExportedAccount(Resource, frozen=True):
    number: str
    kind: AccountKind
    status: AccountStatus
    currency: str
    balance: int
    created_at: datetime


class ExportedTransaction(msgspec.Struct, frozen=True):
    reference: str
    kind: EntryKind
    account: str
    amount: int
    fee: int
    signed_amount: int
    """What this movement did to the account: positive credited, negative debited."""
    balance_after: int
    created_at: datetime


class PersonalDataExport(msgspec.Struct, frozen=True):
    exported_at: datetime
    profile: ExportedProfile
    kyc_tier: KycTier
    kyc_submissions: list[ExportedSubmission]
    accounts: list[ExportedAccount]
    transactions: list[ExportedTransaction]
    """Oldest first, one line per movement on each of the caller's accounts."""

    @classmethod
    def of(cls, data: PersonalData, exported_at: datetime) -> PersonalDataExport:
        return cls(
            exported_at,
            ExportedProfile.of(data.user),
            data.tier,
            [ExportedSubmission.of(submission) for submission in data.submissions],
            [ExportedAccount.of(account) for account in data.accounts],
            [
                ExportedTransaction(
                    entry.reference,
                    entry.kind,
                    number,
                    entry.amount,
                    entry.fee,
                    posting.amount,
                    posting.balance_after,
                    posting.created_at,
                )
                for posting, entry, number in data.postings
            ],
        )


class CloseAccountRequest(RequestBody, frozen=True):
    reason: Reason


class ClosedUserResource(Resource, frozen=True):
    id: UUID
    status: UserStatus
    closed_at: datetime
    accounts: list[str]
    """The numbers of the ledger accounts closed with the user."""
