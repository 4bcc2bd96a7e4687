"""KYC tier limits inside the money transaction: caps hold under concurrency and are summed per person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.limits import LimitExceeded
from ompay.domain.tier_limits import CounterpartyLimitExceeded
from ompay.models import EntryKind, KycTier
from tests.ledger_support import (
    agent_float,
    balance,
    customer_wallet,
    in_own_session,
    issue,
    ledger_is_consistent,
    move,
)

TIER0_CAP = 200_000


async def person_of(session: AsyncSession, account: UUID) -> UUID:
    person: UUID = await session.scalar(
        text("SELECT person_id FROM ledger_accounts WHERE id = :id"), {"id": account}
    )
    return person


async def funded_agent(session: AsyncSession) -> UUID:
    agent = await agent_float(session)
    await issue(session, agent, 10_000_000)
    return agent


async def test_twenty_parallel_cash_ins_over_the_cap_let_exactly_those_that_fit(
    session: AsyncSession,
) -> None:
    agent, wallet = await funded_agent(session), await customer_wallet(session, tier=KycTier.TIER0)

    async def cash_in() -> str:
        try:
            await in_own_session(lambda own: move(own, agent, wallet, 30_000, kind=EntryKind.CASH_IN))
        except CounterpartyLimitExceeded:
            return "refused"
        return "ok"

    outcomes = await asyncio.gather(*(cash_in() for _ in range(20)))
    assert outcomes.count("ok") == TIER0_CAP // 30_000
    assert await balance(session, wallet) == 6 * 30_000
    assert await ledger_is_consistent(session)


async def test_two_wallets_of_one_person_share_the_balance_cap(session: AsyncSession) -> None:
    agent = await funded_agent(session)
    first = await customer_wallet(session, tier=KycTier.TIER0)
    second = await customer_wallet(session, person=await person_of(session, first))
    await move(session, agent, first, 90_000, kind=EntryKind.CASH_IN)
    await move(session, agent, second, 90_000, kind=EntryKind.CASH_IN)
    with pytest.raises(CounterpartyLimitExceeded):
        await move(session, agent, second, 30_000, kind=EntryKind.CASH_IN)
    await session.rollback()
    await move(session, agent, second, 20_000, kind=EntryKind.CASH_IN)
    assert await balance(session, first) + await balance(session, second) == TIER0_CAP


async def test_parallel_cash_ins_to_two_wallets_of_one_person_never_pass_the_shared_cap(
    session: AsyncSession,
) -> None:
    agent = await funded_agent(session)
    first = await customer_wallet(session, tier=KycTier.TIER0)
    second = await customer_wallet(session, person=await person_of(session, first))

    async def cash_in(wallet: UUID) -> str:
        try:
            await in_own_session(lambda own: move(own, agent, wallet, 30_000, kind=EntryKind.CASH_IN))
        except CounterpartyLimitExceeded:
            return "refused"
        return "ok"

    outcomes = await asyncio.gather(*(cash_in(first if n % 2 else second) for n in range(20)))
    assert outcomes.count("ok") == TIER0_CAP // 30_000
    assert await balance(session, first) + await balance(session, second) == 6 * 30_000


async def test_own_limit_names_the_limit_and_the_headroom(session: AsyncSession) -> None:
    wallet = await customer_wallet(session, tier=KycTier.TIER0)
    sink = await customer_wallet(session)
    await issue(session, wallet, 150_000)
    with pytest.raises(LimitExceeded) as refused:
        await move(session, wallet, sink, 120_000)
    assert (refused.value.limit, refused.value.headroom) == ("max_per_transaction", 100_000)


async def test_a_transfer_to_a_tier0_recipient_near_the_cap_is_refused_without_their_headroom(
    session: AsyncSession,
) -> None:
    sender, recipient = await customer_wallet(session), await customer_wallet(session, tier=KycTier.TIER0)
    await issue(session, sender, 500_000)
    await issue(session, recipient, 180_000)
    with pytest.raises(CounterpartyLimitExceeded) as refused:
        await move(session, sender, recipient, 30_000)
    assert refused.value.extensions() == {"limit": "counterparty"}
    await session.rollback()
    assert await balance(session, sender) == 500_000


async def test_monthly_credits_reset_at_midnight_dakar_on_the_first(session: AsyncSession) -> None:
    agent, wallet = await funded_agent(session), await customer_wallet(session, tier=KycTier.TIER0)
    sink = await customer_wallet(session)
    march_end = datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)
    april_first = datetime(2026, 4, 1, 0, 0, 0, tzinfo=UTC)
    for _ in range(2):
        await move(session, agent, wallet, 100_000, kind=EntryKind.CASH_IN, clock=lambda: march_end)
        await move(session, wallet, sink, 100_000, clock=lambda: march_end)
    with pytest.raises(CounterpartyLimitExceeded):
        await move(session, agent, wallet, 1_000, kind=EntryKind.CASH_IN, clock=lambda: march_end)
    await session.rollback()
    await move(session, agent, wallet, 100_000, kind=EntryKind.CASH_IN, clock=lambda: april_first)
    assert await balance(session, wallet) == 100_000


async def test_refunds_and_reversals_are_not_capped(session: AsyncSession) -> None:
    wallet, merchant = await customer_wallet(session, tier=KycTier.TIER0), await customer_wallet(session)
    await issue(session, wallet, TIER0_CAP)
    await issue(session, merchant, 50_000)
    await move(session, merchant, wallet, 50_000, kind=EntryKind.REFUND)
    assert await balance(session, wallet) == TIER0_CAP + 50_000
