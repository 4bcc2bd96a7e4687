"""Queries over screening list versions and their entries."""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select

from ompay.models import ScreeningListVersion


class ScreeningListRepository(SQLAlchemyAsyncRepository[ScreeningListVersion]):
    model_type = ScreeningListVersion

    async def version_with_hash(self, list_name: str, sha256: str) -> ScreeningListVersion | None:
        return await self.get_one_or_none(list_name=list_name, sha256=sha256)

    async def next_version(self, list_name: str) -> int:
        stmt = select(func.max(ScreeningListVersion.version)).where(
            ScreeningListVersion.list_name == list_name
        )
        return int(await self.session.scalar(stmt) or 0) + 1
