"""Legacy /api/auth/* and /api/ompay/logout: the Laravel contract over the v1 services."""

from __future__ import annotations

from typing import Any

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from config.settings import Settings
from ompay.schemas.fields import parse_phone
from ompay.schemas.legacy import (
    IDENTITY_FIELDS,
    LegacyLoginRequest,
    LegacyPhoneRequest,
    LegacyRefreshRequest,
    LegacyRegisterRequest,
    LegacyVerifyOtpRequest,
    envelope,
    token_data,
)
from ompay.schemas.legacy_errors import LOGIN_ERRORS, REFRESH_ERRORS, SIGN_IN_ERRORS
from ompay.services.identity.auth import AuthService
from ompay.services.identity.registration import RegistrationService
from ompay.services.identity.sessions import ClientInfo, CurrentUser, SessionService

Envelope = dict[str, Any]


class LegacyAuthController(Controller):
    path = "/auth"
    opt = {"exclude_from_auth": True, "legacy_fields": IDENTITY_FIELDS, "legacy_errors": SIGN_IN_ERRORS}

    @post("/register", status_code=200)
    async def register(
        self,
        data: JSONBody[LegacyRegisterRequest],
        registration_service: NamedDependency[RegistrationService],
        settings: NamedDependency[Settings],
    ) -> Envelope:
        registered = await registration_service.register_customer(
            data.to_registration(settings.auth.prefixes), data.merchant_profile()
        )
        message = "Utilisateur créé avec succès – demande de vérification OTP"  # noqa: RUF001 - the contract's dash
        return envelope(message, {"code_marchand": registered.merchant_code})

    @post("/request-otp", status_code=200)
    async def request_otp(
        self,
        data: JSONBody[LegacyPhoneRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> Envelope:
        await auth_service.request_otp(parse_phone(data.telephone, settings.auth.prefixes, field="telephone"))
        return envelope("Code OTP envoyé par SMS")

    @post("/verify-otp", status_code=200)
    async def verify_otp(
        self,
        data: JSONBody[LegacyVerifyOtpRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
        client_info: NamedDependency[ClientInfo],
    ) -> Envelope:
        phone = parse_phone(data.telephone, settings.auth.prefixes, field="telephone")
        pair = await auth_service.sign_in_with_otp(phone, data.otp, client_info)
        return envelope("Connexion réussie", {"tokens": token_data(pair)})

    @post("/login", status_code=200, opt={"legacy_errors": LOGIN_ERRORS})
    async def login(
        self,
        data: JSONBody[LegacyLoginRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
        client_info: NamedDependency[ClientInfo],
    ) -> Envelope:
        phone = parse_phone(data.telephone, settings.auth.prefixes, field="telephone")
        return envelope(
            "Connexion réussie", token_data(await auth_service.login(phone, data.password, client_info))
        )

    @post("/refresh", status_code=200, opt={"legacy_errors": REFRESH_ERRORS})
    async def refresh(
        self, data: JSONBody[LegacyRefreshRequest], session_service: NamedDependency[SessionService]
    ) -> Envelope:
        return envelope("Token rafraîchi", token_data(await session_service.rotate(data.refresh_token)))


class LegacySessionController(Controller):
    path = "/ompay"

    @post("/logout", status_code=200)
    async def logout(
        self, current_user: NamedDependency[CurrentUser], auth_service: NamedDependency[AuthService]
    ) -> Envelope:
        await auth_service.logout(current_user)
        return envelope("Déconnexion réussie")
