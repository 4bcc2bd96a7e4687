"""audit_events: append-only in the database, hash-chained, tampering detected."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.actors import Actor
from ompay.services.audit import AuditService, RequestContext

ACTOR = Actor("user", "u-1")


async def _record_and_seal(session: AsyncSession, count: int) -> AuditService:
    audit = AuditService(session, RequestContext(request_id="req-1", ip_address="10.0.0.1"))
    for index in range(count):
        audit.record("user.login", ACTOR, target_type="user", target_id=f"u-{index}", changes={"n": index})
    await session.commit()
    assert await audit.seal_pending(batch_size=2) == count
    return audit


async def test_recorded_events_are_sealed_into_an_intact_chain(session: AsyncSession) -> None:
    audit = await _record_and_seal(session, 5)
    verification = await audit.verify_chain()
    assert (verification.intact, verification.checked, verification.unsealed) == (True, 5, 0)
    rows = (
        await session.execute(text("SELECT chain_seq, request_id FROM audit_events ORDER BY chain_seq"))
    ).all()
    assert [row.chain_seq for row in rows] == [1, 2, 3, 4, 5]
    assert {row.request_id for row in rows} == {"req-1"}


async def test_sealing_continues_the_existing_chain(session: AsyncSession) -> None:
    audit = await _record_and_seal(session, 2)
    audit.record("user.logout", ACTOR)
    await session.commit()
    assert await audit.seal_pending() == 1
    assert (await audit.verify_chain()).checked == 3


async def test_personal_data_in_changes_is_masked(session: AsyncSession) -> None:
    audit = AuditService(session)
    audit.record("user.registered", ACTOR, changes={"telephone": "+221771234567", "password": "secret-pass"})
    await session.commit()
    changes = await session.scalar(text("SELECT changes FROM audit_events"))
    assert changes == {"telephone": "***********67", "password": "[REDACTED]"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing.happened'",
        "UPDATE audit_events SET hash = repeat('0', 64), changes = '{}'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
async def test_the_database_refuses_to_rewrite_history(session: AsyncSession, statement: str) -> None:
    await _record_and_seal(session, 1)
    with pytest.raises(DBAPIError, match="append-only"):
        await session.execute(text(statement))
    await session.rollback()
    assert await session.scalar(text("SELECT count(*) FROM audit_events WHERE action = 'user.login'")) == 1


@pytest.mark.parametrize(
    ("tampering", "broken_at"),
    [
        ("UPDATE audit_events SET changes = '{\"n\": 99}' WHERE chain_seq = 2", 2),
        ("DELETE FROM audit_events WHERE chain_seq = 2", 3),
        ("UPDATE audit_events SET actor_id = 'someone-else' WHERE chain_seq = 2", 2),
    ],
)
async def test_tampering_behind_the_triggers_back_is_detected(
    session: AsyncSession, tampering: str, broken_at: int
) -> None:
    audit = await _record_and_seal(session, 4)
    await session.execute(text("SET session_replication_role = replica"))
    await session.execute(text(tampering))
    await session.execute(text("SET session_replication_role = DEFAULT"))
    await session.commit()
    verification = await audit.seal_and_verify()
    assert not verification.intact
    assert verification.broken_at == broken_at
