"""Opening persons: every user, and every account that holds money for someone, has one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ompay.models import KycTier, Person
from ompay.models.base import new_id


async def open_person(session: AsyncSession, tier: KycTier, national_id: str | None = None) -> Person:
    """A new limit holder, written in the caller's transaction before the users and accounts that
    reference it (the ORM orders rows by relationships, which these links are not); the caller commits.

    A customer starts at `tier0` (phone verified, ID number declared, no document reviewed); a
    business (merchant wallet) or an agent starts at its business tier, reviewed by KYB.
    """
    person = Person(id=new_id(), tier=tier, national_id=national_id)
    session.add(person)
    await session.flush()
    return person
