"""Laravel-era request and response shapes (LEGACY_API.md), translated to and from the services."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, Literal

from ompay.domain.errors import invalid_field
from ompay.domain.kyb import Owner
from ompay.models import Sex
from ompay.schemas.fields import (
    AnyPassword,
    Email,
    Name,
    NationalId,
    OtpCode,
    Password,
    PhoneInput,
    RequestBody,
    Token,
    parse_phone,
)
from ompay.services.identity.registration import Registration
from ompay.services.identity.sessions import TokenPair
from ompay.services.merchants.onboarding import MerchantProfile

# v1 field names -> the names legacy clients sent, for error bodies.
IDENTITY_FIELDS = {
    "phone": "telephone",
    "first_name": "prenom",
    "last_name": "nom",
    "national_id": "cni",
    "sex": "sexe",
    "birth_date": "date_naissance",
    "code": "otp",
}


def envelope(message: str, data: Any = None) -> dict[str, Any]:
    """`{"success": true, "message": ..., "data": ...}`, `data` omitted when there is none."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    return body


def token_data(pair: TokenPair) -> dict[str, Any]:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": pair.token_type,
        "expires_in": pair.expires_in,
    }


LEGACY_CATEGORY = "non_renseignee"


class LegacyRegisterRequest(RequestBody, frozen=True):
    nom: Name
    prenom: Name
    telephone: PhoneInput
    password: Password
    password_confirmation: AnyPassword
    cni: NationalId
    sexe: Literal["Homme", "Femme"]
    date_naissance: date
    type_compte: Literal["simple", "marchand"] = "simple"
    email: Email | None = None

    def merchant_profile(self) -> MerchantProfile | None:
        """A legacy merchant account: named after its holder, reviewed by OMPAY before it takes payments."""
        if self.type_compte != "marchand":
            return None
        name = f"{self.prenom} {self.nom}"
        holder = Owner(name[:200], self.cni.upper(), 100)
        return MerchantProfile(
            business_name=name[:160], trade_name=name[:80], category=LEGACY_CATEGORY, owners=(holder,)
        )

    def to_registration(self, prefixes: Collection[str]) -> Registration:
        if self.password_confirmation != self.password:
            raise invalid_field("password_confirmation", "La confirmation du mot de passe ne correspond pas.")
        return Registration(
            first_name=self.prenom,
            last_name=self.nom,
            phone=parse_phone(self.telephone, prefixes, field="telephone"),
            national_id=self.cni,
            sex=Sex.MALE if self.sexe == "Homme" else Sex.FEMALE,
            birth_date=self.date_naissance,
            password=self.password,
            email=self.email,
            legacy_id_allowed=True,
        )


class LegacyPhoneRequest(RequestBody, frozen=True):
    telephone: PhoneInput


class LegacyVerifyOtpRequest(RequestBody, frozen=True):
    telephone: PhoneInput
    otp: OtpCode


class LegacyLoginRequest(RequestBody, frozen=True):
    telephone: PhoneInput
    password: AnyPassword


class LegacyRefreshRequest(RequestBody, frozen=True):
    refresh_token: Token
