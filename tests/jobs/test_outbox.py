"""Outbox guarantees: nothing for a rollback, nothing lost while Redis is down, effects once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from litestar import post
from litestar.di import NamedDependency
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.database import get_alchemy_config
from config.settings import get_settings
from jobs.registry import OUTBOX_HANDLERS, deliver_with
from ompay.lib.outbox import Topic, job_key
from ompay.lib.queue import JobDispatcher
from ompay.models import OutboxMessage
from ompay.services.container import Services
from ompay.services.outbox import OutboxService
from ompay.services.unit_of_work import UnitOfWork
from tests import support

EFFECT = Topic("test.effect", queue="notifications")
FAILING = Topic("test.failing", queue="notifications")
EFFECT_COUNTER = "test:effects"
LEASE = timedelta(seconds=30)


async def record_effect(services: Services, message: OutboxMessage) -> None:
    """A side effect with a database half (exactly once) and an external half (Redis counter)."""
    await services.uow.session.execute(
        text(
            "INSERT INTO audit_events (id, actor_type, action, target_id) "
            "VALUES (gen_random_uuid(), 'system', 'test.effect', :target)"
        ),
        {"target": str(message.id)},
    )
    redis = Redis.from_url(get_settings().redis.url)
    await redis.incr(EFFECT_COUNTER)
    await redis.aclose()


async def always_fail(services: Services, message: OutboxMessage) -> None:
    raise RuntimeError("receiver down for +221771234567")


@pytest.fixture(autouse=True)
def _test_topics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(OUTBOX_HANDLERS, EFFECT, record_effect)
    monkeypatch.setitem(OUTBOX_HANDLERS, FAILING, always_fail)


def _uow(session: AsyncSession, dispatcher: JobDispatcher | None = None) -> UnitOfWork:
    return UnitOfWork(session, dispatcher or JobDispatcher(support.queues()), get_settings().queue)


async def _queued(queue: str = "notifications") -> int:
    return int(await support.queues()[queue].count("queued"))


async def _effects(session: AsyncSession, redis: Redis) -> tuple[int, int]:
    in_db = await session.scalar(text("SELECT count(*) FROM audit_events WHERE action = 'test.effect'"))
    return int(in_db or 0), int(await redis.get(EFFECT_COUNTER) or 0)


async def _message(session: AsyncSession) -> OutboxMessage:
    session.expire_all()
    return (await session.execute(text("SELECT * FROM outbox"))).one()  # type: ignore[return-value]


async def test_a_rolled_back_transaction_enqueues_nothing(session: AsyncSession) -> None:
    uow = _uow(session)
    uow.outbox.add(EFFECT, {"n": 1})
    await session.flush()
    await uow.rollback()
    await uow.commit()
    assert await _queued() == 0
    assert await session.scalar(text("SELECT count(*) FROM outbox")) == 0


async def test_a_committed_message_is_relayed_and_its_effect_happens_once(
    session: AsyncSession, redis: Redis
) -> None:
    uow = _uow(session)
    message = uow.outbox.add(EFFECT, {"n": 1})
    await uow.commit()
    assert await _queued() == 1
    assert (await support.queues()["notifications"].job(job_key(message.id))) is not None
    await support.run_worker_burst("notifications")
    row = await _message(session)
    assert row.dispatched_at is not None
    assert row.processed_at is not None
    assert await _effects(session, redis) == (1, 1)


async def test_a_message_delivered_twice_has_its_effect_once(session: AsyncSession, redis: Redis) -> None:
    uow = _uow(session)
    message = uow.outbox.add(EFFECT, {"n": 1})
    await uow.commit()
    await support.run_worker_burst("notifications")
    await JobDispatcher(support.queues()).enqueue(
        "notifications", "deliver_outbox_message", key=job_key(message.id), message_id=str(message.id)
    )
    await support.run_worker_burst("notifications")
    assert await _effects(session, redis) == (1, 1)


async def test_concurrent_deliveries_of_one_message_run_its_effect_once(
    session: AsyncSession, redis: Redis
) -> None:
    uow = _uow(session)
    message = uow.outbox.add(EFFECT, {"n": 1})
    await session.commit()

    async def deliver() -> str:
        async with (
            get_alchemy_config().get_session() as own_session,
            support.services_over(own_session) as services,
        ):
            return await deliver_with(services, message.id, LEASE)

    outcomes = await asyncio.gather(*(deliver() for _ in range(5)))
    assert sorted(outcomes) == ["processed"] + ["skipped"] * 4
    assert await _effects(session, redis) == (1, 1)


async def test_with_redis_down_the_change_commits_and_the_sweep_delivers_later(
    session: AsyncSession, redis: Redis
) -> None:
    uow = _uow(session, JobDispatcher(support.dead_queues()))
    uow.outbox.add(EFFECT, {"n": 1})
    await uow.commit()
    row = await _message(session)
    assert row.dispatched_at is None
    assert row.processed_at is None

    live = OutboxService(session, JobDispatcher(support.queues()), get_settings().queue)
    assert await live.sweep(settle=timedelta(0)) == 1
    await support.run_worker_burst("notifications")
    assert (await _message(session)).processed_at is not None
    assert await _effects(session, redis) == (1, 1)


async def test_the_sweep_leaves_fresh_messages_to_their_relay(session: AsyncSession) -> None:
    uow = _uow(session, JobDispatcher(support.dead_queues()))
    uow.outbox.add(EFFECT, {"n": 1})
    await uow.commit()
    live = OutboxService(session, JobDispatcher(support.queues()), get_settings().queue)
    assert await live.sweep() == 0
    assert await _queued() == 0


async def test_a_failing_handler_is_retried_then_dead_lettered(session: AsyncSession) -> None:
    uow = _uow(session)
    message_id = uow.outbox.add(FAILING, {}).id
    await session.commit()
    async with support.services_over(session) as services:
        for _ in range(get_settings().queue.outbox_max_attempts):
            with pytest.raises(RuntimeError):
                await deliver_with(services, message_id, LEASE)
        row = await _message(session)
        assert row.attempts == get_settings().queue.outbox_max_attempts
        assert row.failed_at is not None
        assert "+221771234567" not in row.last_error
        assert await services.uow.outbox.sweep(settle=timedelta(0)) == 0
        assert await deliver_with(services, message_id, LEASE) == "skipped"


@post("/_test/outbox", status_code=201, opt={"exclude_from_auth": True})
async def write_outbox_message(uow: NamedDependency[UnitOfWork]) -> dict[str, Any]:
    message = uow.outbox.add(EFFECT, {"via": "http"})
    await uow.commit()
    return {"id": str(message.id)}


async def test_an_http_request_commits_while_redis_is_down(session: AsyncSession, redis: Redis) -> None:
    """The whole API path on an app whose Redis is unreachable: rate limit fails open, the request commits."""
    async with support.app_with_env((write_outbox_message,), REDIS_URL=support.DEAD_REDIS_URL) as client:
        response = await client.post("/_test/outbox")
    assert response.status_code == 201, response.text
    assert (await _message(session)).dispatched_at is None

    live = OutboxService(session, JobDispatcher(support.queues()), get_settings().queue)
    assert await live.sweep(settle=timedelta(0)) == 1
    await support.run_worker_burst("notifications")
    assert await _effects(session, redis) == (1, 1)
