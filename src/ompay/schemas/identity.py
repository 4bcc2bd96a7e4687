"""/api/v1 identity: registration, OTP, login, tokens, profile, sessions, PIN."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Literal
from uuid import UUID

import msgspec

from ompay.lib.masking import mask_tail
from ompay.models import AuthSession, KycTier, OtpPurpose, Sex, UserRole, UserStatus
from ompay.schemas.fields import (
    AnyPassword,
    Email,
    Name,
    NationalId,
    OtpCode,
    Password,
    PhoneInput,
    Pin,
    RequestBody,
    Token,
    parse_phone,
)
from ompay.schemas.resources import Resource
from ompay.services.identity.registration import Registered, Registration
from ompay.services.identity.users import Profile


class RegisterRequest(RequestBody, frozen=True):
    first_name: Name
    last_name: Name
    phone: PhoneInput
    national_id: NationalId
    sex: Sex
    birth_date: date
    password: Password
    email: Email | None = None
    guardian_phone: PhoneInput | None = None
    """Under 18 only: the phone of a verified (tier1) customer, who approves the link with their PIN."""

    def to_registration(self, prefixes: Collection[str]) -> Registration:
        guardian = (
            parse_phone(self.guardian_phone, prefixes, field="guardian_phone")
            if self.guardian_phone
            else None
        )
        return Registration(
            first_name=self.first_name,
            last_name=self.last_name,
            phone=parse_phone(self.phone, prefixes),
            national_id=self.national_id,
            sex=self.sex,
            birth_date=self.birth_date,
            password=self.password,
            email=self.email,
            guardian_phone=guardian,
        )


class OtpRequest(RequestBody, frozen=True):
    phone: PhoneInput
    purpose: Literal["activation", "login", "pin_reset"] | None = None

    @property
    def otp_purpose(self) -> OtpPurpose | None:
        return OtpPurpose(self.purpose) if self.purpose else None


class OtpVerifyRequest(RequestBody, frozen=True):
    phone: PhoneInput
    code: OtpCode


class LoginRequest(RequestBody, frozen=True):
    phone: PhoneInput
    password: AnyPassword


class RefreshRequest(RequestBody, frozen=True):
    refresh_token: Token


class LogoutRequest(RequestBody, frozen=True):
    everywhere: bool = False


class PinSetRequest(RequestBody, frozen=True):
    pin: Pin


class PinChangeRequest(RequestBody, frozen=True):
    current_pin: Pin
    new_pin: Pin


class PinResetRequest(RequestBody, frozen=True):
    code: OtpCode
    new_pin: Pin


class TokenPairResource(Resource, frozen=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class WalletSummary(msgspec.Struct, frozen=True):
    number: str
    status: str
    currency: str


class UserResource(msgspec.Struct, frozen=True):
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
    pin_set: bool
    created_at: datetime
    wallet: WalletSummary | None
    tier: KycTier
    """KYC tier whose limits apply: `tier0` until an identity document is approved, then `tier1`."""

    @classmethod
    def of(cls, profile: Profile) -> UserResource:
        user, wallet = profile.user, profile.wallet
        return cls(
            id=user.id,
            role=user.role,
            status=user.status,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            email=user.email,
            sex=user.sex,
            birth_date=user.birth_date,
            national_id=mask_tail(user.national_id, 4) if user.national_id else None,
            pin_set=user.pin_hash is not None,
            created_at=user.created_at,
            wallet=WalletSummary(wallet.number, wallet.status.value, wallet.currency) if wallet else None,
            tier=profile.tier,
        )


class RegistrationResource(msgspec.Struct, frozen=True):
    user: UserResource
    otp_expires_in: int

    @classmethod
    def of(cls, registered: Registered) -> RegistrationResource:
        profile = Profile(registered.user, registered.wallet, KycTier.TIER0)
        return cls(UserResource.of(profile), registered.otp_expires_in)


class OtpSentResource(msgspec.Struct, frozen=True):
    expires_in: int


class SessionResource(msgspec.Struct, frozen=True):
    id: UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip_address: str | None
    current: bool

    @classmethod
    def of(cls, session: AuthSession, current_session_id: UUID) -> SessionResource:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            user_agent=session.user_agent,
            ip_address=session.ip_address,
            current=session.id == current_session_id,
        )


class SandboxSmsResource(Resource, frozen=True):
    phone: str
    body: str
    created_at: datetime
