"""Counters in Redis: atomic across every API process, expiring on their own.

Attempt counters (OTP, login, PIN) are the real brute-force protection (many users share
one carrier NAT address, so per-IP limits cannot be tight) and fail closed: without Redis,
no one may guess. Request rate limits fail open: a Redis outage must not stop payments.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ompay.domain.errors import ServiceUnavailable

T = TypeVar("T")
_REDIS_DOWN = (RedisError, OSError)


async def _fail_closed(operation: Awaitable[T]) -> T:
    try:
        return await operation
    except _REDIS_DOWN as exc:
        raise ServiceUnavailable() from exc


@dataclass(frozen=True, slots=True)
class WindowState:
    count: int
    limit: int
    reset_in: int

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


_WINDOW_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""


class WindowCounter:
    """At most `limit` hits per `window` seconds per subject, in one round trip (a server-side script)."""

    def __init__(self, redis: Redis, name: str, limit: int, window: int, *, fail_open: bool = False) -> None:
        self.redis, self.name, self.limit, self.window = redis, name, limit, window
        self.fail_open = fail_open
        self._hit = redis.register_script(_WINDOW_HIT)

    async def hit(self, subject: str) -> WindowState:
        try:
            count, ttl = await self._hit(keys=[f"ompay:{self.name}:{subject}"], args=[self.window])
        except _REDIS_DOWN as exc:
            if self.fail_open:
                return WindowState(0, self.limit, self.window)
            raise ServiceUnavailable() from exc
        return WindowState(int(count), self.limit, max(int(ttl), 1))


class LockoutCounter:
    """Consecutive failures per subject; `limit` of them lock the subject for `lockout` seconds."""

    def __init__(self, redis: Redis, name: str, limit: int, lockout: int) -> None:
        self.redis, self.name, self.limit, self.lockout = redis, name, limit, lockout

    def _keys(self, subject: str) -> tuple[str, str]:
        return f"ompay:{self.name}:failures:{subject}", f"ompay:{self.name}:lock:{subject}"

    async def locked_for(self, subject: str) -> int:
        """Seconds left on the subject's lock (0 when not locked)."""
        _, lock = self._keys(subject)
        ttl = int(await _fail_closed(self.redis.ttl(lock)))
        return max(ttl, 0)

    async def record_failure(self, subject: str) -> int:
        """Count a failure; returns the lock's length in seconds when this failure locks, else 0."""
        failures, lock = self._keys(subject)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(failures)
            pipe.expire(failures, self.lockout)
            count, _ = await _fail_closed(pipe.execute())
        if int(count) < self.limit:
            return 0
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(lock, "1", ex=self.lockout)
            pipe.delete(failures)
            await _fail_closed(pipe.execute())
        return self.lockout

    async def reset(self, subject: str) -> None:
        failures, _ = self._keys(subject)
        await _fail_closed(self.redis.delete(failures))
