"""Opening persons: every user, and every account that holds money for someone, has one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ompay.models import KycTier, Person
from ompay.models.base import new_id


def open_person(session: AsyncSession, tier: KycTier, national_id: str | None = None) -> Person:
    """A new limit holder, added to `session`; the caller links users and accounts to its id and commits.

    A customer starts at `tier0` (phone verified, ID number declared, no document reviewed); a
    business (merchant wallet) or an agent starts at its business tier, reviewed by KYB.
    """
    person = Person(id=new_id(), tier=tier, national_id=national_id)
    session.add(person)
    return person
