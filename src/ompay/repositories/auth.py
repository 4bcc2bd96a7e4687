"""Queries over sessions, refresh tokens, one-time codes and sandbox messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, and_, func, select, update

from ompay.models import (
    AuthSession,
    OneTimeCode,
    OtpPurpose,
    RefreshToken,
    SandboxSms,
)


class AuthSessionRepository(SQLAlchemyAsyncRepository[AuthSession]):
    model_type = AuthSession

    async def live_for_user(self, user_id: UUID) -> Sequence[AuthSession]:
        stmt = (
            select(AuthSession)
            .where(
                AuthSession.user_id == user_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > func.now(),
            )
            .order_by(AuthSession.last_used_at.desc())
        )
        return (await self.session.scalars(stmt)).all()

    async def revoke(
        self, reason: str, *, session_id: UUID | None = None, user_id: UUID | None = None
    ) -> int:
        """Revoke one session, or every live session of a user; returns how many were live."""
        stmt = update(AuthSession).where(AuthSession.revoked_at.is_(None))
        stmt = (
            stmt.where(AuthSession.id == session_id)
            if session_id
            else stmt.where(AuthSession.user_id == user_id)
        )
        result = await self.session.execute(stmt.values(revoked_at=func.now(), revoked_reason=reason))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def touch(self, session_id: UUID) -> None:
        await self.session.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_used_at=func.now())
        )


class RefreshTokenRepository(SQLAlchemyAsyncRepository[RefreshToken]):
    model_type = RefreshToken

    async def use(self, token_hash: str) -> tuple[RefreshToken | None, bool]:
        """Mark an unused token used; returns (token, True) on first use, (token, False) on reuse."""
        first_use = await self.session.scalar(
            update(RefreshToken)
            .where(RefreshToken.token_hash == token_hash, RefreshToken.used_at.is_(None))
            .values(used_at=func.now())
            .returning(RefreshToken)
        )
        if first_use is not None:
            return first_use, True
        return await self.get_one_or_none(token_hash=token_hash), False


class OneTimeCodeRepository(SQLAlchemyAsyncRepository[OneTimeCode]):
    model_type = OneTimeCode

    @staticmethod
    def _unconsumed(phone: str, purpose: OtpPurpose, subject_id: str | None) -> ColumnElement[bool]:
        return and_(
            OneTimeCode.phone == phone,
            OneTimeCode.purpose == purpose,
            OneTimeCode.subject_id.is_not_distinct_from(subject_id),
            OneTimeCode.consumed_at.is_(None),
        )

    async def retire_live(self, phone: str, purpose: OtpPurpose, subject_id: str | None = None) -> None:
        """A new code invalidates the older ones for the same phone, purpose and subject."""
        await self.session.execute(
            update(OneTimeCode)
            .where(self._unconsumed(phone, purpose, subject_id))
            .values(consumed_at=func.now())
        )

    async def live(
        self, phone: str, purpose: OtpPurpose, subject_id: str | None = None
    ) -> OneTimeCode | None:
        stmt = (
            select(OneTimeCode)
            .where(self._unconsumed(phone, purpose, subject_id))
            .order_by(OneTimeCode.created_at.desc())
            .limit(1)
            .with_for_update()
        )
        return (await self.session.scalars(stmt)).first()

    async def consume(self, code_id: UUID, at: datetime | None = None) -> None:
        await self.session.execute(
            update(OneTimeCode).where(OneTimeCode.id == code_id).values(consumed_at=at or func.now())
        )


class SandboxSmsRepository(SQLAlchemyAsyncRepository[SandboxSms]):
    model_type = SandboxSms

    async def latest_for(self, phone: str, limit: int = 20) -> Sequence[SandboxSms]:
        stmt = (
            select(SandboxSms)
            .where(SandboxSms.phone == phone)
            .order_by(SandboxSms.created_at.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()
