"""The posting engine: conservation, no overdraft, no deadlock, idempotency, atomicity."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.ledger import InsufficientFunds, RecipientInactive
from ompay.domain.ledger_errors import IdempotencyKeyReused
from ompay.domain.limits import LimitExceeded
from ompay.models import AccountStatus
from ompay.models.base import new_id
from ompay.services.outbox import OutboxService
from tests.ledger_support import (
    balance,
    customer_wallet,
    in_own_session,
    issue,
    ledger_is_consistent,
    move,
)

operations = st.lists(
    st.tuples(
        st.sampled_from(["issue", "move"]), st.integers(0, 3), st.integers(0, 3), st.integers(100, 50_000)
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
async def test_any_sequence_of_operations_conserves_money(
    session: AsyncSession, ops: list[tuple[str, int, int, int]]
) -> None:
    wallets = [await customer_wallet(session) for _ in range(4)]
    for op, a, b, amount in ops:
        if op == "issue":
            await issue(session, wallets[a], amount)
        elif a != b:
            try:
                await move(session, wallets[a], wallets[b], amount)
            except InsufficientFunds:
                await session.rollback()
    assert await ledger_is_consistent(session)
    assert min([await balance(session, wallet) for wallet in wallets]) >= 0


async def test_fifty_parallel_withdrawals_with_funds_for_ten(session: AsyncSession) -> None:
    wallet, sink = await customer_wallet(session), await customer_wallet(session)
    await issue(session, wallet, 1_000)

    async def withdraw() -> str:
        try:
            await in_own_session(lambda own: move(own, wallet, sink, 100))
        except InsufficientFunds:
            return "refused"
        return "ok"

    outcomes = await asyncio.gather(*(withdraw() for _ in range(50)))
    assert outcomes.count("ok") == 10
    assert outcomes.count("refused") == 40
    assert await balance(session, wallet) == 0
    assert await ledger_is_consistent(session)


async def test_crossing_transfers_never_deadlock(session: AsyncSession) -> None:
    alice, bob = await customer_wallet(session), await customer_wallet(session)
    await issue(session, alice, 100_000)
    await issue(session, bob, 100_000)
    transfers = [in_own_session(lambda own: move(own, alice, bob, 150)) for _ in range(20)]
    transfers += [in_own_session(lambda own: move(own, bob, alice, 250)) for _ in range(20)]
    await asyncio.gather(*transfers)
    assert await balance(session, alice) == 100_000 - 20 * 150 + 20 * 250
    assert await balance(session, alice) + await balance(session, bob) == 200_000
    assert await ledger_is_consistent(session)


async def test_one_idempotency_key_fired_twenty_times_moves_money_once(session: AsyncSession) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)
    results = await asyncio.gather(
        *(in_own_session(lambda own: move(own, payer, payee, 700, key="k-1")) for _ in range(20))
    )
    assert len({posted.entry.id for posted in results}) == 1
    assert sum(not posted.replayed for posted in results) == 1
    assert await balance(session, payee) == 700
    assert await ledger_is_consistent(session)


async def test_a_reused_key_with_another_request_is_refused(session: AsyncSession) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)
    await move(session, payer, payee, 700, key="k-2")
    with pytest.raises(IdempotencyKeyReused):
        await move(session, payer, payee, 800, key="k-2")
    assert await balance(session, payee) == 700


async def test_an_inactive_recipient_is_refused(session: AsyncSession) -> None:
    payer, dormant = await customer_wallet(session), await customer_wallet(session, AccountStatus.INACTIVE)
    await issue(session, payer, 10_000)
    with pytest.raises(RecipientInactive):
        await move(session, payer, dormant, 500)


async def test_amounts_outside_the_bounds_are_refused(session: AsyncSession) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 5_000_000)
    with pytest.raises(LimitExceeded):
        await move(session, payer, payee, 1_000_001)
    with pytest.raises(LimitExceeded):
        await move(session, payer, payee, 99)


async def test_a_posting_is_one_round_trip_and_a_refusal_leaves_the_transaction_usable(
    session: AsyncSession,
) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)
    sent: list[str] = []

    def statement(conn: object, cursor: object, sql: str, *args: object) -> None:
        sent.append(sql)

    def commit(conn: object) -> None:
        sent.append("COMMIT")

    engine = session.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        await move(session, payer, payee, 700)
        with pytest.raises(InsufficientFunds):
            await move(session, payer, payee, 1_000_000)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
    first_commit = sent.index("COMMIT")
    assert len(sent[:first_commit]) == 1
    assert "ledger_post_entry" in sent[0]
    assert (await balance(session, payer), await balance(session, payee)) == (9_300, 700)
    assert await ledger_is_consistent(session)


async def test_a_leg_on_an_account_that_does_not_exist_posts_nothing(session: AsyncSession) -> None:
    payer = await customer_wallet(session)
    await issue(session, payer, 1_000)
    with pytest.raises(DBAPIError, match="does not exist"):
        await move(session, payer, new_id(), 100)
    await session.rollback()
    assert await balance(session, payer) == 1_000
    assert await session.scalar(text("SELECT count(*) FROM journal_entries WHERE kind = 'p2p_transfer'")) == 0
    assert await ledger_is_consistent(session)


async def test_a_failure_after_the_postings_leaves_no_trace(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    payer, payee = await customer_wallet(session), await customer_wallet(session)
    await issue(session, payer, 10_000)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("crash after postings")

    monkeypatch.setattr(OutboxService, "track", explode)  # runs once the postings are written
    with pytest.raises(RuntimeError):
        await move(session, payer, payee, 700)
    await session.rollback()
    monkeypatch.undo()
    assert (await balance(session, payer), await balance(session, payee)) == (10_000, 0)
    assert await session.scalar(text("SELECT count(*) FROM journal_entries WHERE kind = 'p2p_transfer'")) == 0
    assert await ledger_is_consistent(session)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_accounts SET balance = -1 WHERE kind = 'customer_wallet'",
        "UPDATE postings SET amount = amount + 1",
        "DELETE FROM postings",
        "DELETE FROM journal_entries",
    ],
)
async def test_the_database_refuses_what_must_never_happen(session: AsyncSession, statement: str) -> None:
    wallet = await customer_wallet(session)
    await issue(session, wallet, 1_000)
    with pytest.raises(DBAPIError):
        await session.execute(text(statement))
    await session.rollback()


async def test_an_unbalanced_entry_cannot_commit(session: AsyncSession) -> None:
    wallet = await customer_wallet(session)
    entry = (await issue(session, wallet, 1_000)).entry.id
    await session.execute(
        text(
            "INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version,"
            " created_at) VALUES (gen_random_uuid(), :entry, :account, 5, 1005, 99, now())"
        ),
        {"entry": entry, "account": wallet},
    )
    with pytest.raises(DBAPIError, match="unbalanced"):
        await session.commit()
    await session.rollback()
