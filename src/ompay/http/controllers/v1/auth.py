"""/api/v1/auth: register, one-time codes, login, token refresh, logout."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from config.settings import Settings
from ompay.http.auth import BEARER_SECURITY
from ompay.schemas.fields import parse_phone
from ompay.schemas.identity import (
    LoginRequest,
    LogoutRequest,
    OtpRequest,
    OtpSentResource,
    OtpVerifyRequest,
    RefreshRequest,
    RegisterRequest,
    RegistrationResource,
    TokenPairResource,
)
from ompay.schemas.problem import problem_responses
from ompay.services.identity.auth import AuthService
from ompay.services.identity.registration import RegistrationService
from ompay.services.identity.sessions import ClientInfo, CurrentUser, SessionService


class AuthController(Controller):
    tags = ["Auth"]
    opt = {"exclude_from_auth": True}

    @post(
        "/register",
        summary="Register a customer; an activation code is sent by SMS",
        responses=problem_responses(429),
    )
    async def register(
        self,
        data: JSONBody[RegisterRequest],
        registration_service: NamedDependency[RegistrationService],
        settings: NamedDependency[Settings],
    ) -> RegistrationResource:
        registered = await registration_service.register_customer(
            data.to_registration(settings.auth.prefixes)
        )
        return RegistrationResource.of(registered)

    @post(
        "/otp", status_code=202, summary="Send a one-time code by SMS", responses=problem_responses(429, 503)
    )
    async def request_otp(
        self,
        data: JSONBody[OtpRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> OtpSentResource:
        phone = parse_phone(data.phone, settings.auth.prefixes)
        return OtpSentResource(expires_in=await auth_service.request_otp(phone, data.otp_purpose))

    @post(
        "/otp/verify",
        status_code=200,
        summary="Activate or sign in with a code",
        responses=problem_responses(400, 403),
    )
    async def verify_otp(
        self,
        data: JSONBody[OtpVerifyRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
        client_info: NamedDependency[ClientInfo],
    ) -> TokenPairResource:
        phone = parse_phone(data.phone, settings.auth.prefixes)
        return TokenPairResource.of(await auth_service.sign_in_with_otp(phone, data.code, client_info))

    @post(
        "/login",
        status_code=200,
        summary="Sign in with phone and password",
        responses=problem_responses(401, 403, 429),
    )
    async def login(
        self,
        data: JSONBody[LoginRequest],
        auth_service: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
        client_info: NamedDependency[ClientInfo],
    ) -> TokenPairResource:
        phone = parse_phone(data.phone, settings.auth.prefixes)
        return TokenPairResource.of(await auth_service.login(phone, data.password, client_info))

    @post("/refresh", status_code=200, summary="Rotate a refresh token", responses=problem_responses(401))
    async def refresh(
        self, data: JSONBody[RefreshRequest], session_service: NamedDependency[SessionService]
    ) -> TokenPairResource:
        return TokenPairResource.of(await session_service.rotate(data.refresh_token))

    @post(
        "/logout",
        status_code=204,
        summary="Sign out this session (or every session with `everywhere`)",
        opt={"exclude_from_auth": False},
        security=BEARER_SECURITY,
        responses=problem_responses(401),
    )
    async def logout(
        self,
        current_user: NamedDependency[CurrentUser],
        auth_service: NamedDependency[AuthService],
        data: JSONBody[LogoutRequest | None] = None,
    ) -> None:
        await auth_service.logout(current_user, everywhere=bool(data and data.everywhere))
