"""The in-process session cache: it remembers only while it hears revocations, forgets a user's
sessions when any process announces one, and never serves an expired or foreign entry."""

from __future__ import annotations

import asyncio
from uuid import UUID

from redis.asyncio import Redis

from ompay.lib.session_cache import LiveSessionCache

ALICE, BOB = UUID(int=1), UUID(int=2)
SESSION, OTHER = UUID(int=11), UUID(int=12)


async def _listening(cache: LiveSessionCache[str]) -> asyncio.Task[None]:
    task = asyncio.create_task(cache.listen())
    for _ in range(100):
        if cache.listening:
            return task
        await asyncio.sleep(0.02)
    raise AssertionError("never subscribed")


async def test_nothing_is_remembered_while_revocations_cannot_be_heard(redis: Redis) -> None:
    cache = LiveSessionCache[str](redis, 30)
    cache.remember(SESSION, ALICE, "alice")
    assert cache.get(SESSION, ALICE) is None


async def test_an_announced_revocation_empties_every_listening_process(redis: Redis) -> None:
    here, there = LiveSessionCache[str](redis, 30), LiveSessionCache[str](redis, 30)
    tasks = [await _listening(here), await _listening(there)]
    try:
        for cache in (here, there):
            cache.remember(SESSION, ALICE, "alice")
            cache.remember(OTHER, BOB, "bob")
        assert there.get(SESSION, ALICE) == "alice"
        assert there.get(SESSION, BOB) is None  # a session is only its own user's

        await here.announce(ALICE)
        assert here.get(SESSION, ALICE) is None  # at once where it was announced
        for _ in range(50):
            if there.get(SESSION, ALICE) is None:
                break
            await asyncio.sleep(0.02)
        assert there.get(SESSION, ALICE) is None
        assert there.get(OTHER, BOB) == "bob"
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert not here.listening
    assert here.get(OTHER, BOB) is None


async def test_an_entry_lives_no_longer_than_its_ttl(redis: Redis) -> None:
    cache = LiveSessionCache[str](redis, 0.05)
    task = await _listening(cache)
    try:
        cache.remember(SESSION, ALICE, "alice")
        assert cache.get(SESSION, ALICE) == "alice"
        await asyncio.sleep(0.1)
        assert cache.get(SESSION, ALICE) is None
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
