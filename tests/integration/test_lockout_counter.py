"""The attempt counter behind the PIN, password and OTP lockouts, against real Redis."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from ompay.domain.errors import ServiceUnavailable
from ompay.lib.counters import LockoutCounter
from tests import support


async def _guess(counter: LockoutCounter, right: bool) -> int:
    """One try the way the services make it: counted, then checked, then settled."""
    locked_for = await counter.attempt("subject")
    if not locked_for:
        await asyncio.sleep(0.01)  # the secret being checked
        await (counter.reset("subject") if right else counter.record_failure("subject"))
    return locked_for


async def test_parallel_wrong_guesses_are_checked_at_most_limit_times(redis: Redis) -> None:
    counter = LockoutCounter(redis, "test", limit=3, lockout=900)
    answers = await asyncio.gather(*(_guess(counter, right=False) for _ in range(30)))
    assert answers.count(0) == 3
    assert all(0 < seconds <= 900 for seconds in answers if seconds)
    assert 0 < await counter.locked_for("subject") <= 900
    assert await counter.locked_for("someone else") == 0


async def test_parallel_right_guesses_all_pass(redis: Redis) -> None:
    counter = LockoutCounter(redis, "test", limit=3, lockout=900)
    assert await asyncio.gather(*(_guess(counter, right=True) for _ in range(10))) == [0] * 10
    assert await counter.locked_for("subject") == 0


async def test_tries_still_being_checked_do_not_lock_but_a_try_beyond_them_waits_then_is_refused(
    redis: Redis,
) -> None:
    counter = LockoutCounter(redis, "test", limit=2, lockout=900)
    assert [await counter.attempt("subject") for _ in range(2)] == [0, 0]
    assert await counter.locked_for("subject") == 0
    assert 0 < await counter.attempt("subject") <= 900


async def test_refused_tries_do_not_extend_the_lock(redis: Redis) -> None:
    counter = LockoutCounter(redis, "test", limit=2, lockout=900)
    for _ in range(2):
        await _guess(counter, right=False)
    await redis.expire("ompay:test:attempts:subject", 5)
    assert 0 < await counter.attempt("subject") <= 5
    assert 0 < await counter.locked_for("subject") <= 5


async def test_a_success_resets_the_count(redis: Redis) -> None:
    counter = LockoutCounter(redis, "test", limit=2, lockout=900)
    await _guess(counter, right=False)
    await _guess(counter, right=True)
    assert [await _guess(counter, right=False) for _ in range(2)] == [0, 0]
    assert await counter.attempt("subject") > 0


async def test_without_redis_no_one_may_guess() -> None:
    dead = Redis.from_url(support.DEAD_REDIS_URL, socket_connect_timeout=0.2)
    counter = LockoutCounter(dead, "test", limit=3, lockout=900)
    with pytest.raises(ServiceUnavailable):
        await counter.attempt("subject")
    with pytest.raises(ServiceUnavailable):
        await counter.locked_for("subject")
    await dead.aclose()
