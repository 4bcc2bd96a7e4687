"""Signing in and out: password login with lockout, OTP activation and login, logout."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

from ompay.domain.actors import Actor
from ompay.domain.auth_errors import AccountLocked, AccountNotActive, InvalidCredentials
from ompay.domain.errors import invalid_field
from ompay.models import AccountKind, AccountStatus, OtpPurpose, User, UserStatus
from ompay.repositories.kyc import GuardianshipRepository
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.users import UserRepository
from ompay.services.identity.otp import OtpService
from ompay.services.identity.security import Security
from ompay.services.identity.sessions import ClientInfo, CurrentUser, SessionService, TokenPair
from ompay.services.unit_of_work import UnitOfWork

# Verified against when the phone is unknown, so a wrong phone costs as much time as a wrong password.
_DECOY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$BxMXEKUak6jisx/AoWiooQ$N+RidJTnGTmL/dZ7muQfZsRSPBtV8QQGIhmWW///09c"
)


class AuthService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.users = UserRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)
        self.guardianships = GuardianshipRepository(session=uow.session)
        self.otp = OtpService(uow, security)
        self.sessions = SessionService(uow, security)

    async def login(self, phone: str, password: str, client: ClientInfo) -> TokenPair:
        """Password login; `login_max_failures` consecutive failures lock the phone for a while.

        The try is counted before the password is checked, so parallel guesses cannot get past the limit.
        """
        locked_for = await self.security.login_attempts.attempt(phone)
        if locked_for:
            raise AccountLocked(retry_after=locked_for)
        user = await self.users.by_phone(phone)
        if not await self.security.hasher.verify_password(
            user.password_hash if user else _DECOY_HASH, password
        ):
            await self._refuse_login(phone, user)
        assert user is not None  # a missing user never verifies
        await self.security.login_attempts.reset(phone)
        if user.status != UserStatus.ACTIVE:
            raise AccountNotActive()
        if self.security.hasher.needs_rehash(user.password_hash):
            user.password_hash = await self.security.hasher.hash_password(password)
        return await self._sign_in(user, client, "password")

    async def request_otp(self, phone: str, purpose: OtpPurpose | None = None) -> int:
        """Text a code to a registered phone: activation while pending, login once active (by default)."""
        user = await self._registered(phone)
        expires_in = await self.otp.issue(phone, purpose or _sign_in_purpose(user))
        await self.uow.commit()
        return expires_in

    async def sign_in_with_otp(self, phone: str, code: str, client: ClientInfo) -> TokenPair:
        """Activation (first time) or login by code; activation also activates the wallet."""
        user = await self._registered(phone)
        if user.status not in (UserStatus.PENDING_VERIFICATION, UserStatus.ACTIVE):
            raise AccountNotActive()
        await self.otp.consume(phone, _sign_in_purpose(user), code)
        if user.status == UserStatus.PENDING_VERIFICATION:
            await self._activate(user)
        return await self._sign_in(user, client, "otp")

    async def logout(self, user: CurrentUser, *, everywhere: bool = False) -> None:
        """Revokes this session (or all of them), so a stolen refresh token dies with the logout."""
        revoked = await self.sessions.revoke(user, None if everywhere else user.session_id, "logout")
        self.uow.audit.record(
            "auth.logout",
            user.actor,
            target_type="user",
            target_id=str(user.id),
            changes={"everywhere": everywhere, "sessions_revoked": revoked},
        )
        await self.uow.commit()

    async def _sign_in(self, user: User, client: ClientInfo, method: str) -> TokenPair:
        user.last_login_at = datetime.now(UTC)
        pair = await self.sessions.open(user, client)
        self.uow.audit.record(
            "auth.login_succeeded",
            Actor("user", str(user.id)),
            target_type="user",
            target_id=str(user.id),
            changes={"method": method},
        )
        await self.uow.commit()
        return pair

    async def _refuse_login(self, phone: str, user: User | None) -> NoReturn:
        lockout = await self.security.login_attempts.record_failure(phone)
        target = str(user.id) if user else None
        self.uow.audit.record(
            "auth.lockout" if lockout else "auth.login_failed",
            Actor.system("auth"),
            target_type="user",
            target_id=target,
            changes={"phone": phone},
        )
        await self.uow.commit()
        raise AccountLocked(retry_after=lockout) if lockout else InvalidCredentials()

    async def _activate(self, user: User) -> None:
        """The wallet opens with the account, except a minor's: it waits for the guardian's approval."""
        user.status = UserStatus.ACTIVE
        user.activated_at = datetime.now(UTC)
        if not await self.guardianships.awaits_guardian(user.id):
            await self.accounts.set_owner_wallet_status(
                user.id, AccountKind.CUSTOMER_WALLET, AccountStatus.ACTIVE
            )
        self.uow.audit.record(
            "user.activated",
            Actor("user", str(user.id)),
            target_type="user",
            target_id=str(user.id),
            changes={"status": {"from": "pending_verification", "to": "active"}},
        )

    async def _registered(self, phone: str) -> User:
        user = await self.users.by_phone(phone)
        if user is None:
            raise invalid_field(
                "phone",
                "Ce numéro de téléphone n'est pas enregistré.",
                "This phone number is not registered.",
            )
        return user


def _sign_in_purpose(user: User) -> OtpPurpose:
    return OtpPurpose.ACTIVATION if user.status == UserStatus.PENDING_VERIFICATION else OtpPurpose.LOGIN
