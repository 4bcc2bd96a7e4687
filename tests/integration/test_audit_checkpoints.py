"""The daily verification records the chain's head; a later one holds the chain to it."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import configure_logging
from config.settings import LogSettings
from ompay.domain.actors import Actor
from ompay.services.audit import AuditService
from tests import support


async def _recorded(session: AsyncSession, count: int) -> AuditService:
    audit = AuditService(session)
    for index in range(count):
        audit.record("user.login", Actor("user", f"u-{index}"))
    await session.commit()
    return audit


async def _checkpoints(session: AsyncSession) -> list[tuple[int, bool, int | None]]:
    rows = await session.execute(
        text("SELECT head_seq, intact, broken_at FROM audit_chain_checkpoints ORDER BY verified_at, id")
    )
    return [(row.head_seq, row.intact, row.broken_at) for row in rows]


async def test_the_daily_job_records_the_head_it_verified(session: AsyncSession) -> None:
    await _recorded(session, 3)
    await support.enqueue_and_run("compliance", "verify_audit_chain")
    head_hash = await session.scalar(text("SELECT hash FROM audit_events WHERE chain_seq = 3"))
    stored = await session.scalar(text("SELECT head_hash FROM audit_chain_checkpoints"))
    assert (await _checkpoints(session), stored) == ([(3, True, None)], head_hash)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_chain_checkpoints SET intact = false", "DELETE FROM audit_chain_checkpoints"]
)
async def test_checkpoints_are_append_only(session: AsyncSession, statement: str) -> None:
    await (await _recorded(session, 1)).seal_and_verify()
    with pytest.raises(DBAPIError, match="append-only"):
        await session.execute(text(statement))
    await session.rollback()
    assert await _checkpoints(session) == [(1, True, None)]


async def test_a_chain_cut_after_its_head_was_recorded_is_broken(session: AsyncSession) -> None:
    audit = await _recorded(session, 4)
    await audit.seal_and_verify()
    await support.execute_sql(
        "SET session_replication_role = replica",
        "DELETE FROM audit_events WHERE chain_seq >= 3",
    )
    stream = io.StringIO()
    configure_logging(LogSettings(level="INFO", format="json"), stream=stream)
    try:
        verification = await audit.seal_and_verify()
    finally:
        configure_logging(LogSettings(level="WARNING"))
    assert (verification.intact, verification.broken_at) == (False, 3)
    assert await _checkpoints(session) == [(4, True, None), (2, False, 3)]
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["level"], e["broken_at"]) for e in events if e["event"] == "audit chain broken"] == [
        ("error", 3)
    ]


async def test_a_rewritten_chain_with_recomputed_hashes_disagrees_with_the_checkpoint(
    session: AsyncSession,
) -> None:
    audit = await _recorded(session, 2)
    await audit.seal_and_verify()
    await support.execute_sql(
        "SET session_replication_role = replica",
        "UPDATE audit_events SET changes = '{\"forged\": true}' WHERE chain_seq = 1",
        "UPDATE audit_events SET hash = NULL, prev_hash = NULL, chain_seq = NULL",
    )
    verification = await audit.seal_and_verify()  # resealed: every link valid, the head hash moved
    assert (verification.intact, verification.broken_at) == (False, 2)
