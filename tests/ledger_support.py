"""Ledger fixtures built through the real services: customers with wallets, funded by issuance."""

from __future__ import annotations

import itertools
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.database import get_alchemy_config
from config.settings import get_settings
from ompay.domain.actors import Actor
from ompay.domain.ledger import Leg
from ompay.lib.queue import JobDispatcher
from ompay.models import (
    AccountKind,
    AccountStatus,
    EntryKind,
    KycTier,
    LedgerAccount,
    User,
    UserRole,
    UserStatus,
)
from ompay.models.base import new_id
from ompay.repositories.refusals import LimitRefusalLog
from ompay.services.compliance.limits import Clock, KycLimitPolicy, utc_now
from ompay.services.compliance.persons import open_person
from ompay.services.ledger.limits import amount_bounds
from ompay.services.ledger.posting import EntryRequest, Idempotency, LedgerService, Posted
from ompay.services.unit_of_work import UnitOfWork
from tests import support

_numbers = itertools.count(100)
ADMIN = Actor("user", "test-admin")


def unit_of_work(session: AsyncSession) -> UnitOfWork:
    return UnitOfWork(session, JobDispatcher(support.queues()), get_settings().queue)


def ledger(session: AsyncSession, clock: Clock = utc_now) -> LedgerService:
    """The posting engine under the KYC limit policy the services use, at `clock`'s time."""
    policy = KycLimitPolicy(amount_bounds(get_settings().ledger), clock)
    return LedgerService(unit_of_work(session), policy, LimitRefusalLog(get_alchemy_config().get_engine()))


async def customer_wallet(
    session: AsyncSession,
    status: AccountStatus = AccountStatus.ACTIVE,
    tier: KycTier = KycTier.TIER1,
    person: UUID | None = None,
) -> UUID:
    """A customer's wallet; with `person`, one more wallet of that person (their limits are shared)."""
    return await _account(session, AccountKind.CUSTOMER_WALLET, UserRole.CUSTOMER, status, tier, person)


async def agent_float(session: AsyncSession) -> UUID:
    """An agent's float: the agent tier has no limits of its own."""
    return await _account(
        session, AccountKind.AGENT_FLOAT, UserRole.AGENT, AccountStatus.ACTIVE, KycTier.AGENT, None
    )


async def _account(
    session: AsyncSession,
    kind: AccountKind,
    role: UserRole,
    status: AccountStatus,
    tier: KycTier,
    person: UUID | None,
) -> UUID:
    n = next(_numbers)
    if person is None:
        person = (await open_person(session, tier)).id
    user = User(
        person_id=person,
        role=role,
        status=UserStatus.ACTIVE,
        first_name="Test",
        last_name=f"Customer{n}",
        phone=f"+22176{n:07d}",
        password_hash="x",
    )
    session.add(user)
    await session.flush()
    wallet = LedgerAccount(
        id=new_id(),
        kind=kind,
        status=status,
        owner_id=user.id,
        person_id=person,
        number=f"TW{n:010d}",
    )
    session.add(wallet)
    await session.commit()
    return wallet.id


async def issue(session: AsyncSession, wallet: UUID, amount: int) -> Posted:
    """Put e-money on a wallet straight from issuance (an admin adjustment)."""
    service = ledger(session)
    issuance = await service.system_account(AccountKind.EMONEY_ISSUANCE, new_id())
    return await service.post(
        EntryRequest(
            EntryKind.ADJUSTMENT, amount, (Leg(issuance, -amount), Leg(wallet, amount)), ADMIN, issuance
        )
    )


async def move(
    session: AsyncSession,
    source: UUID,
    target: UUID,
    amount: int,
    key: str | None = None,
    kind: EntryKind = EntryKind.P2P_TRANSFER,
    clock: Clock = utc_now,
) -> Posted:
    """A transfer-like entry; with `key`, idempotent on a request hash derived from the amount."""
    idempotency = Idempotency(key, f"amount={amount}") if key else None
    legs = (Leg(source, -amount), Leg(target, amount))
    request = EntryRequest(kind, amount, legs, Actor("user", "mover"), source, idempotency=idempotency)
    return await ledger(session, clock).post(request)


async def in_own_session(coroutine_factory):  # type: ignore[no-untyped-def]
    async with get_alchemy_config().get_session() as own:
        return await coroutine_factory(own)


async def balance(session: AsyncSession, account: UUID) -> int:
    return int(
        await session.scalar(text("SELECT balance FROM ledger_accounts WHERE id = :id"), {"id": account})
    )


async def ledger_is_consistent(session: AsyncSession) -> bool:
    """Every balance equals the sum of its postings and its last balance_after; the total is zero."""
    mismatches = await session.scalar(
        text(
            "SELECT count(*) FROM ledger_accounts a LEFT JOIN LATERAL ("
            "  SELECT COALESCE(sum(amount), 0) AS total, count(*) AS n, max(account_version) AS last_version"
            "  FROM postings p WHERE p.account_id = a.id) s ON true "
            "WHERE a.balance <> s.total OR a.version <> s.n OR a.version <> COALESCE(s.last_version, 0)"
        )
    )
    total = await session.scalar(text("SELECT COALESCE(sum(balance), 0) FROM ledger_accounts"))
    return mismatches == 0 and total == 0
