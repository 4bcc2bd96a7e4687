"""Queries over merchants, their members and their API keys."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, or_, select, update

from ompay.models import ApiKey, Merchant, MerchantMember, MerchantRole


class MerchantRepository(SQLAlchemyAsyncRepository[Merchant]):
    model_type = Merchant

    async def of_member(self, user_id: UUID, role: MerchantRole | None = None) -> Merchant | None:
        """The merchant a user runs (as owner, when `role` says so)."""
        stmt = select(Merchant).join(MerchantMember, MerchantMember.merchant_id == Merchant.id)
        stmt = stmt.where(MerchantMember.user_id == user_id)
        if role is not None:
            stmt = stmt.where(MerchantMember.role == role)
        return (await self.session.scalars(stmt.order_by(MerchantMember.created_at).limit(1))).first()

    async def owner_id(self, merchant_id: UUID) -> UUID | None:
        stmt = select(MerchantMember.user_id).where(
            MerchantMember.merchant_id == merchant_id, MerchantMember.role == MerchantRole.OWNER
        )
        return (await self.session.scalars(stmt.order_by(MerchantMember.created_at).limit(1))).first()

    async def is_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        stmt = select(MerchantMember.id).where(
            MerchantMember.merchant_id == merchant_id, MerchantMember.user_id == user_id
        )
        return (await self.session.scalar(stmt)) is not None


class MerchantMemberRepository(SQLAlchemyAsyncRepository[MerchantMember]):
    model_type = MerchantMember


class ApiKeyRepository(SQLAlchemyAsyncRepository[ApiKey]):
    model_type = ApiKey

    async def usable(self, key_hash: str) -> tuple[ApiKey, Merchant] | None:
        """A key that is neither revoked nor past its rotation grace, with its merchant."""
        stmt = (
            select(ApiKey, Merchant)
            .join(Merchant, Merchant.id == ApiKey.merchant_id)
            .where(
                ApiKey.key_hash == key_hash,
                ApiKey.revoked_at.is_(None),
                or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > func.now()),
            )
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def touch(self, key_id: UUID) -> None:
        await self.session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=func.now()))

    async def of_merchant(self, merchant_id: UUID) -> Sequence[ApiKey]:
        stmt = select(ApiKey).where(ApiKey.merchant_id == merchant_id, ApiKey.revoked_at.is_(None))
        return (await self.session.scalars(stmt.order_by(ApiKey.created_at.desc()))).all()
