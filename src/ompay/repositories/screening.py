"""Queries over screening lists, their entries, the query log, hits and freezes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, insert, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.screening import ListedParty
from ompay.domain.screening_verdicts import ListedEntry
from ompay.models import (
    AccountFreeze,
    BeneficialOwner,
    LedgerAccount,
    Merchant,
    ScreeningEntry,
    ScreeningHit,
    ScreeningHitStatus,
    ScreeningListVersion,
    ScreeningQuery,
    User,
    UserRole,
)


class ScreeningListRepository(SQLAlchemyAsyncRepository[ScreeningListVersion]):
    model_type = ScreeningListVersion

    async def version_with_hash(self, list_name: str, sha256: str) -> ScreeningListVersion | None:
        return await self.get_one_or_none(list_name=list_name, sha256=sha256)

    async def next_version(self, list_name: str) -> int:
        stmt = select(func.max(ScreeningListVersion.version)).where(
            ScreeningListVersion.list_name == list_name
        )
        return int(await self.session.scalar(stmt) or 0) + 1

    async def in_force(self) -> list[ScreeningListVersion]:
        """The newest version of every list, in list-name order."""
        stmt = (
            select(ScreeningListVersion)
            .order_by(ScreeningListVersion.list_name, ScreeningListVersion.version.desc())
            .ext(distinct_on(ScreeningListVersion.list_name))
        )
        return list((await self.session.scalars(stmt)).all())

    async def entries(
        self, version_ids: Sequence[UUID], keys: Sequence[str] | None = None, ids: Sequence[str] = ()
    ) -> list[ListedEntry]:
        """Entries of these versions sharing a blocking key or an ID number with the subject;
        every entry of them when `keys` is None (a whole re-screening)."""
        stmt = (
            select(ScreeningEntry, ScreeningListVersion.list_name, ScreeningListVersion.version)
            .join(ScreeningListVersion, ScreeningListVersion.id == ScreeningEntry.list_version_id)
            .where(ScreeningEntry.list_version_id.in_(version_ids))
        )
        if keys is not None:
            stmt = stmt.where(
                or_(
                    ScreeningEntry.blocking_keys.overlap(list(keys)),
                    ScreeningEntry.id_numbers.overlap(list(ids)),
                )
            )
        return [
            ListedEntry(
                entry.id,
                list_name,
                version,
                entry.reference,
                tuple(entry.topics),
                ListedParty(tuple(entry.names), tuple(entry.birth_dates), tuple(entry.id_numbers)),
            )
            for entry, list_name, version in await self.session.execute(stmt)
        ]


class ScreeningHitRepository(SQLAlchemyAsyncRepository[ScreeningHit]):
    model_type = ScreeningHit

    async def insert_all(self, rows: list[dict[str, Any]]) -> None:
        """One multi-row INSERT, without building an object per row."""
        if rows:
            await self.session.execute(insert(ScreeningHit), rows)

    async def open_pairs(self, person_ids: set[UUID]) -> set[tuple[UUID, str]]:
        """(person, listed reference) of the hits still open for these persons."""
        stmt = select(ScreeningHit.person_id, ScreeningHit.reference).where(
            ScreeningHit.person_id.in_(person_ids), ScreeningHit.status == ScreeningHitStatus.OPEN
        )
        return {(row.person_id, row.reference) for row in await self.session.execute(stmt)}

    async def queue(self, status: ScreeningHitStatus, after: UUID | None, limit: int) -> list[ScreeningHit]:
        """Oldest first, so nothing waits behind newer hits."""
        stmt = (
            select(ScreeningHit).where(ScreeningHit.status == status).order_by(ScreeningHit.id).limit(limit)
        )
        if after is not None:
            stmt = stmt.where(ScreeningHit.id > after)
        return list((await self.session.scalars(stmt)).all())

    async def open_for(self, person_id: UUID) -> bool:
        """Whether an officer still owes a decision on this person."""
        open_hit = select(ScreeningHit.id).where(
            ScreeningHit.person_id == person_id, ScreeningHit.status == ScreeningHitStatus.OPEN
        )
        return bool(await self.session.scalar(select(open_hit.exists())))


class ScreeningQueryRepository(SQLAlchemyAsyncRepository[ScreeningQuery]):
    model_type = ScreeningQuery

    async def insert_all(self, rows: list[dict[str, Any]]) -> None:
        """COPY into the log in the session's transaction: a re-screening logs a query per
        customer, and row-by-row INSERTs were most of its time."""
        if not rows:
            return
        connection = await (await self.session.connection()).get_raw_connection()
        columns = list(rows[0])
        await connection.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            ScreeningQuery.__tablename__,
            records=[tuple(_copyable(column, row[column]) for column in columns) for row in rows],
            columns=columns,
        )

    async def screened_against(self, person_id: UUID, version_ids: Sequence[UUID]) -> bool:
        """Whether this person was already screened against exactly these versions."""
        stmt = select(
            select(ScreeningQuery.id)
            .where(
                ScreeningQuery.person_id == person_id,
                ScreeningQuery.list_version_ids.contains(list(version_ids)),
                ScreeningQuery.list_version_ids.contained_by(list(version_ids)),
            )
            .exists()
        )
        return bool(await self.session.scalar(stmt))


class AccountFreezeRepository(SQLAlchemyAsyncRepository[AccountFreeze]):
    model_type = AccountFreeze

    async def in_force(self, person_id: UUID) -> AccountFreeze | None:
        return await self.get_one_or_none(person_id=person_id, lifted_at=None)


class ScreeningSubjectRepository:
    """Whom a list update re-screens: customers, merchants and their beneficial owners."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def customers(self, after: UUID | None, limit: int) -> list[User]:
        stmt = select(User).where(User.role == UserRole.CUSTOMER).order_by(User.id).limit(limit)
        if after is not None:
            stmt = stmt.where(User.id > after)
        return list((await self.session.scalars(stmt)).all())

    async def merchants(self) -> list[tuple[Merchant, UUID]]:
        """Each merchant with the person its wallet belongs to."""
        stmt = select(Merchant, LedgerAccount.person_id).join(
            LedgerAccount, LedgerAccount.id == Merchant.wallet_id
        )
        return [(merchant, person) for merchant, person in await self.session.execute(stmt) if person]

    async def owners(self) -> list[tuple[BeneficialOwner, UUID]]:
        """Each beneficial owner with the person of the merchant they own."""
        stmt = (
            select(BeneficialOwner, LedgerAccount.person_id)
            .join(Merchant, Merchant.id == BeneficialOwner.merchant_id)
            .join(LedgerAccount, LedgerAccount.id == Merchant.wallet_id)
        )
        return [(owner, person) for owner, person in await self.session.execute(stmt) if person]


_JSON_COLUMNS = frozenset({"subject", "candidates"})


def _copyable(column: str, value: Any) -> Any:
    """What COPY takes for a column: JSON as text, enumerations as their values."""
    if column in _JSON_COLUMNS:
        return json.dumps(value)
    return value.value if isinstance(value, StrEnum) else value
