"""Sessions and tokens: short JWT access tokens, rotating opaque refresh tokens.

A session is one sign-in on one device: the family all its rotated refresh tokens belong
to. Presenting an already-rotated refresh token means it was copied, so the whole family
is revoked. Access tokens carry the session id and are checked against the session on
every request, so logout takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from uuid import UUID

from litestar.security.jwt import Token
from uuid_utils.compat import uuid7

from ompay.domain.actors import Actor
from ompay.domain.auth_errors import TokenInvalid
from ompay.lib.crypto import keyed_hash, random_token
from ompay.lib.session_cache import LiveSessionCache
from ompay.models import AuthSession, RefreshToken, User, UserRole, UserStatus
from ompay.models.base import new_id
from ompay.repositories.auth import AuthSessionRepository, RefreshTokenRepository
from ompay.repositories.hot_reads import HotReads, LiveUser
from ompay.repositories.users import UserRepository
from ompay.services.identity.security import Security
from ompay.services.unit_of_work import UnitOfWork

ALGORITHM = "HS256"
ISSUER = "ompay"
REFRESH_PREFIX = "ompay_rt_"


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The authenticated caller, as the auth middleware puts it on the request."""

    id: UUID
    role: UserRole
    phone: str
    session_id: UUID

    @property
    def actor(self) -> Actor:
        return Actor("user", str(self.id))


@dataclass(frozen=True, slots=True)
class ClientInfo:
    user_agent: str | None
    ip_address: str | None


class SessionService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.sessions = AuthSessionRepository(session=uow.session)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(session=self.uow.session)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(session=self.uow.session)

    async def open(self, user: User, client: ClientInfo) -> TokenPair:
        """Start a session for `user`; the caller commits."""
        session = AuthSession(
            id=new_id(),
            user_id=user.id,
            expires_at=datetime.now(UTC) + self._refresh_ttl,
            user_agent=(client.user_agent or "")[:200] or None,
            ip_address=client.ip_address,
        )
        self.uow.session.add(session)
        return await self._issue(user, session.id)

    async def rotate(self, raw_refresh_token: str) -> TokenPair:
        """Exchange a refresh token for a new pair; a reused one revokes its whole family."""
        token, first_use = await self.refresh_tokens.use(
            keyed_hash(self.security.keys.refresh_token, raw_refresh_token)
        )
        if token is None:
            raise TokenInvalid()
        if not first_use:
            await self._revoke_stolen_family(token.session_id)
        session = await self.sessions.get_one_or_none(id=token.session_id)
        user = await self.users.get_one_or_none(id=session.user_id) if session else None
        now = datetime.now(UTC)
        if (
            session is None
            or user is None
            or session.revoked_at
            or session.expires_at <= now
            or token.expires_at <= now
        ):
            raise TokenInvalid()
        if user.status != UserStatus.ACTIVE:
            raise TokenInvalid()
        await self.sessions.touch(session.id)
        pair = await self._issue(user, session.id)
        await self.uow.commit()
        return pair

    async def revoke(self, user: CurrentUser, session_id: UUID | None, reason: str) -> int:
        """Revoke one of the user's sessions (or all of them with `session_id=None`); the caller commits."""
        if session_id is None:
            return await self.end_all(user.id, reason)
        owned = await self.sessions.get_one_or_none(id=session_id, user_id=user.id)
        if owned is None:
            return 0
        self._announce_revocation(user.id)
        return await self.sessions.revoke(reason, session_id=owned.id)

    async def end_all(self, user_id: UUID, reason: str) -> int:
        """Every live session of the user; the caller commits."""
        self._announce_revocation(user_id)
        return await self.sessions.revoke(reason, user_id=user_id)

    def _announce_revocation(self, user_id: UUID) -> None:
        """Once committed, every API process forgets the user's sessions it remembers."""
        self.uow.after_commit(partial(self.security.sessions.announce, user_id))

    async def sign_out_device(self, user: CurrentUser, session_id: UUID) -> bool:
        """Revoke one of the user's sessions; False when it is not theirs or already gone."""
        revoked = await self.revoke(user, session_id, "signed_out_by_user")
        if revoked:
            self.uow.audit.record(
                "auth.session_revoked",
                user.actor,
                target_type="user",
                target_id=str(user.id),
                changes={"session_id": str(session_id)},
            )
            await self.uow.commit()
        return bool(revoked)

    async def live_sessions(self, user_id: UUID) -> list[AuthSession]:
        """Unrevoked, unexpired sessions: what a user reviews before logging out elsewhere."""
        return list(await self.sessions.live_for_user(user_id))

    async def _revoke_stolen_family(self, session_id: UUID) -> None:
        session = await self.sessions.get_one_or_none(id=session_id)
        revoked = await self.sessions.revoke("refresh_token_reuse", session_id=session_id)
        if session:
            self._announce_revocation(session.user_id)
        if session and revoked:
            self.uow.audit.record(
                "auth.token_family_revoked",
                Actor.system("theft-detection"),
                target_type="user",
                target_id=str(session.user_id),
                changes={"session_id": str(session_id), "reason": "refresh_token_reuse"},
            )
        await self.uow.commit()
        raise TokenInvalid()

    async def _issue(self, user: User, session_id: UUID) -> TokenPair:
        raw_refresh = random_token(REFRESH_PREFIX)
        self.uow.session.add(
            RefreshToken(
                session_id=session_id,
                token_hash=keyed_hash(self.security.keys.refresh_token, raw_refresh),
                expires_at=datetime.now(UTC) + self._refresh_ttl,
            )
        )
        ttl = self.security.settings.auth.access_token_ttl
        access = Token(
            sub=str(user.id),
            exp=datetime.now(UTC) + timedelta(seconds=ttl),
            iss=ISSUER,
            jti=str(uuid7()),
            extras={"role": user.role.value, "sid": str(session_id)},
        ).encode(self.security.keys.access_token, ALGORITHM)
        return TokenPair(access_token=access, refresh_token=raw_refresh, expires_in=ttl)

    @property
    def _refresh_ttl(self) -> timedelta:
        return timedelta(days=self.security.settings.auth.refresh_token_ttl_days)


async def authenticate(
    token: Token, reads: HotReads, cache: LiveSessionCache[LiveUser]
) -> CurrentUser | None:
    """The caller behind an access token, or None when its session or account no longer allows it."""
    try:
        session_id, user_id = UUID(str(token.extras["sid"])), UUID(token.sub)
    except (KeyError, ValueError):
        return None
    live = cache.get(session_id, user_id)
    if live is None:
        live = await reads.live_user(session_id, user_id)
        if live is None:
            return None
        cache.remember(session_id, user_id, live)
    return CurrentUser(id=user_id, role=live.role, phone=live.phone, session_id=session_id)
