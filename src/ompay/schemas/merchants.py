"""Merchant onboarding and API-key payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from ompay.domain.kyb import Owner
from ompay.domain.merchants import Scope
from ompay.models import ApiKey, MerchantRole, MerchantStatus
from ompay.schemas.fields import TEXT_PATTERN, Email, NationalId, PhoneInput, RequestBody
from ompay.schemas.resources import Resource
from ompay.services.merchants.api_keys import IssuedKey
from ompay.services.merchants.onboarding import MerchantProfile

BusinessName = Annotated[str, msgspec.Meta(min_length=2, max_length=160, pattern=TEXT_PATTERN)]
TradeName = Annotated[str, msgspec.Meta(min_length=2, max_length=80, pattern=TEXT_PATTERN)]
Category = Annotated[
    str, msgspec.Meta(min_length=2, max_length=60, pattern=TEXT_PATTERN, examples=["grocery", "e-commerce"])
]
Ninea = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Z]{7,20}$", description="NINEA (tax id)")]
Rccm = Annotated[
    str, msgspec.Meta(min_length=5, max_length=40, pattern=TEXT_PATTERN, description="RCCM (trade register)")
]
KeyName = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=TEXT_PATTERN)]
Network = Annotated[
    str, msgspec.Meta(max_length=50, pattern=TEXT_PATTERN, examples=["203.0.113.7", "198.51.100.0/24"])
]
GRACE_MAX = 24 * 3600


class BeneficialOwnerRequest(RequestBody, frozen=True):
    full_name: Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=TEXT_PATTERN)]
    national_id: NationalId
    share_percent: Annotated[int, msgspec.Meta(ge=1, le=100)]


class MerchantCreateRequest(RequestBody, frozen=True):
    business_name: BusinessName
    trade_name: TradeName
    category: Category
    owner_phone: PhoneInput
    ninea: Ninea | None = None
    rccm: Rccm | None = None
    contact_email: Email | None = None
    contact_phone: PhoneInput | None = None
    beneficial_owners: Annotated[list[BeneficialOwnerRequest], msgspec.Meta(max_length=20)] = []
    """Who ultimately owns the business (KYB); each is checked and screened."""

    def profile(self, contact_phone: str | None) -> MerchantProfile:
        return MerchantProfile(
            business_name=self.business_name,
            trade_name=self.trade_name,
            category=self.category,
            ninea=self.ninea,
            rccm=self.rccm,
            contact_email=self.contact_email,
            contact_phone=contact_phone,
            owners=tuple(
                Owner(owner.full_name, owner.national_id.upper(), owner.share_percent)
                for owner in self.beneficial_owners
            ),
        )


class StaffRequest(RequestBody, frozen=True):
    phone: PhoneInput


class MerchantResource(Resource, frozen=True):
    id: UUID
    code: str
    business_name: str
    trade_name: str
    category: str
    ninea: str | None
    rccm: str | None
    contact_email: str | None
    contact_phone: str | None
    status: MerchantStatus
    created_at: datetime
    approved_at: datetime | None
    suspended_at: datetime | None


class MemberResource(Resource, frozen=True):
    merchant_id: UUID
    user_id: UUID
    role: MerchantRole


class ApiKeyCreateRequest(RequestBody, frozen=True):
    name: KeyName
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1)]
    allowed_ips: Annotated[list[Network], msgspec.Meta(max_length=20)] | None = None


class ApiKeyRotateRequest(RequestBody, frozen=True):
    grace_seconds: Annotated[int, msgspec.Meta(ge=0, le=GRACE_MAX)] = 0


class ApiKeyResource(msgspec.Struct, frozen=True):
    id: UUID
    name: str
    hint: str
    scopes: list[str]
    allowed_ips: list[str] | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyResource:
        return cls(
            id=key.id,
            name=key.name,
            hint=key.hint,
            scopes=list(key.scopes),
            allowed_ips=list(key.allowed_ips) if key.allowed_ips else None,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
        )


class IssuedKeyResource(msgspec.Struct, frozen=True):
    """The only response that carries the secret: store it now, it cannot be shown again."""

    key: ApiKeyResource
    secret: str

    @classmethod
    def of(cls, issued: IssuedKey) -> IssuedKeyResource:
        return cls(ApiKeyResource.of(issued.key), issued.secret)


class ApiKeyList(msgspec.Struct, frozen=True):
    data: list[ApiKeyResource]
