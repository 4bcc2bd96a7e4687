"""Queries over users."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import bindparam, or_, select

from ompay.models import User

_BY_PHONE = select(User).where(User.phone == bindparam("phone"))


class UserRepository(SQLAlchemyAsyncRepository[User]):
    model_type = User

    async def by_phone(self, phone: str) -> User | None:
        """Built once: every transfer and payment looks its counterpart up by phone."""
        return (await self.session.scalars(_BY_PHONE, {"phone": phone})).first()

    async def taken_fields(self, phone: str, national_id: str | None) -> set[str]:
        """Which of phone / national_id another user already holds."""
        stmt = select(User.phone, User.national_id).where(
            or_(User.phone == phone, User.national_id == national_id) if national_id else User.phone == phone
        )
        taken: set[str] = set()
        for row in await self.session.execute(stmt):
            taken |= {"phone"} if row.phone == phone else set()
            taken |= {"national_id"} if national_id and row.national_id == national_id else set()
        return taken

    async def closed_before(self, cutoff: datetime, limit: int) -> Sequence[UUID]:
        """Users closed before `cutoff` whose personal data is still there, oldest closure first."""
        stmt = (
            select(User.id)
            .where(User.closed_at < cutoff, User.anonymised_at.is_(None))
            .order_by(User.closed_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()
