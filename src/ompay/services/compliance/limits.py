"""The KYC limit policy the posting engine runs inside every money transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.ledger import AccountState
from ompay.domain.limits import AmountBounds, Movement
from ompay.domain.tier_limits import (
    UNCAPPED_KINDS,
    Holding,
    check_holding,
    credit_month,
    held_by_person,
    net_by_person,
)
from ompay.repositories.persons import PersonRepository

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock; tests inject another to cross a month boundary."""
    return datetime.now(UTC)


class NoLimitsInForce(RuntimeError):
    """A tier without a limits version in force: refuse the movement rather than let it pass unchecked."""


class KycLimitPolicy:
    """Amount bounds, then each person's tier limits, on the rows the posting engine has locked.

    The engine has locked every account of the persons involved, so their summed balances are
    current; the credit counter is bumped (and so locked) in the same transaction, so two
    concurrent credits cannot both fit under a cap that only one of them fits.
    """

    def __init__(self, session: AsyncSession, bounds: AmountBounds, clock: Clock = utc_now) -> None:
        self.bounds = bounds
        self.clock = clock
        self.persons = PersonRepository(session=session)

    async def check(self, movement: Movement, accounts: Mapping[UUID, AccountState]) -> None:
        """Refuse the movement if it breaks a bound or any holder's limits; the caller's own refusal first."""
        self.bounds.check_amount(movement.kind, movement.amount)
        if movement.kind in UNCAPPED_KINDS or not movement.capped:
            return
        net = net_by_person(movement, accounts)
        if not net:
            return
        now = self.clock()
        counted = await self.persons.count_credits(
            {person: max(0, amount) for person, amount in net.items()}, credit_month(now), now
        )
        if counted.keys() != net.keys():
            raise NoLimitsInForce(sorted(net.keys() - counted.keys()))
        held = held_by_person(accounts)
        own = accounts[movement.debtor].person_id if movement.debtor is not None else None
        for person in sorted(net, key=lambda person: person != own):
            holding = Holding(counted[person].limits, held[person], counted[person].credited_before)
            check_holding(holding, movement.amount, net[person], own=person == own)
