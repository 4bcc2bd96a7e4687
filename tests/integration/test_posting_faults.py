"""The posting engine survives what Postgres may throw at a busy ledger: deadlock and
serialization victims and a colliding entry reference are retried (a bounded number of
times, each counted); nothing half-written survives when it gives up, and the caller is told
to try again later.

Faults are injected by triggers in the real database, one use each from a sequence
(sequences ignore rollbacks, so the count survives the aborted attempt).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.errors import ServiceUnavailable
from ompay.lib.db_faults import DEADLOCK, SERIALIZATION_FAILURE
from ompay.services.ledger.posting import MAX_POSTING_ATTEMPTS
from tests import support
from tests.ledger_support import balance, customer_wallet, issue, ledger_is_consistent, move

RAISE_ON_POSTINGS = """
CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('fault_budget') <= {times} THEN
    RAISE EXCEPTION 'injected fault' USING ERRCODE = '{sqlstate}';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER inject_fault BEFORE INSERT ON postings FOR EACH STATEMENT EXECUTE FUNCTION inject_fault();
"""

REUSE_A_REFERENCE = """
CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('fault_budget') <= {times} THEN
    NEW.reference := (SELECT reference FROM journal_entries ORDER BY created_at LIMIT 1);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER inject_fault BEFORE INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION inject_fault();
"""


@asynccontextmanager
async def injected(trigger_sql: str, table: str) -> AsyncIterator[None]:
    await support.execute_sql("CREATE SEQUENCE fault_budget", trigger_sql)
    try:
        yield
    finally:
        await support.execute_sql(
            f"DROP TRIGGER inject_fault ON {table}",
            "DROP FUNCTION inject_fault()",
            "DROP SEQUENCE fault_budget",
        )


def retries(reason: str) -> float:
    return REGISTRY.get_sample_value("ompay_ledger_retries_total", {"reason": reason}) or 0.0


async def _entries(session: AsyncSession) -> int:
    return int(await session.scalar(text("SELECT count(*) FROM journal_entries WHERE kind = 'p2p_transfer'")))


@pytest.mark.parametrize(
    ("sqlstate", "reason"), [(DEADLOCK, "deadlock"), (SERIALIZATION_FAILURE, "serialization_failure")]
)
async def test_a_deadlock_or_serialization_victim_is_posted_on_a_later_attempt(
    session: AsyncSession, sqlstate: str, reason: str
) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)
    before = retries(reason)
    async with injected(RAISE_ON_POSTINGS.format(times=2, sqlstate=sqlstate), "postings"):
        posted = await move(session, payer, payee, 700, key="k-victim")
    assert retries(reason) - before == 2
    assert (await balance(session, payer), await balance(session, payee)) == (9_300, 700)
    assert await _entries(session) == 1
    assert (await move(session, payer, payee, 700, key="k-victim")).entry.id == posted.entry.id
    assert await ledger_is_consistent(session)


async def test_the_engine_gives_up_after_a_bounded_number_of_attempts_leaving_nothing(
    session: AsyncSession,
) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)
    before = retries("deadlock")
    async with injected(RAISE_ON_POSTINGS.format(times=1000, sqlstate=DEADLOCK), "postings"):
        with pytest.raises(ServiceUnavailable) as raised:
            await move(session, payer, payee, 700)
        await session.rollback()
    assert raised.value.retry_after is not None
    assert retries("deadlock") - before == MAX_POSTING_ATTEMPTS - 1
    assert (await balance(session, payer), await balance(session, payee)) == (10_000, 0)
    assert await _entries(session) == 0
    assert await ledger_is_consistent(session)


async def test_a_colliding_entry_reference_is_replaced_by_a_new_one(session: AsyncSession) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    first = await issue(session, payer, 10_000)
    before = retries("reference_collision")
    async with injected(REUSE_A_REFERENCE.format(times=1), "journal_entries"):
        posted = await move(session, payer, payee, 700)
    assert retries("reference_collision") - before == 1
    assert posted.entry.reference != first.entry.reference
    stored = await session.scalar(
        text("SELECT reference FROM journal_entries WHERE id = :id"), {"id": posted.entry.id}
    )
    assert stored == posted.entry.reference
    assert (await balance(session, payer), await balance(session, payee)) == (9_300, 700)
    assert await ledger_is_consistent(session)
