"""Counters in Redis: atomic across every API process, expiring on their own.

Attempt counters (OTP, login, PIN) are the real brute-force protection (many users share
one carrier NAT address, so per-IP limits cannot be tight) and fail closed: without Redis,
no one may guess. Request rate limits fail open: a Redis outage must not stop payments.
"""

from __future__ import annotations

import asyncio
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


# How long a try waits for the tries being checked when they hold the whole limit, and how often it looks.
SETTLE_SECONDS, POLL_SECONDS = 2.0, 0.05
# The try script's answers; anything else means the limit is held by tries still being checked.
_ADMITTED, _LOCKED = 1, 0

_TRY = """
local limit = tonumber(ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], 'tries') or '0') < limit then
  redis.call('HINCRBY', KEYS[1], 'tries', 1)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return {1, 0}
end
local locked = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0') >= limit
return {locked and 0 or -1, math.max(redis.call('TTL', KEYS[1]), 1)}
"""

_FAILURE = """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return failures
"""

_LOCKED_FOR = """
if tonumber(redis.call('HGET', KEYS[1], 'failures') or '0') < tonumber(ARGV[1]) then return 0 end
return math.max(redis.call('TTL', KEYS[1]), 1)
"""


class LockoutCounter:
    """Tries at a secret per subject: `limit` failures in a row lock it for `lockout` seconds.

    A try is counted before its secret is checked (one server-side script), and at most `limit`
    tries are let through until a success resets the count, so parallel guesses cannot get
    past the limit. A try that finds the limit taken by tries still being checked waits for
    them (up to `SETTLE_SECONDS`): the owner's parallel tries with the right secret all pass.
    """

    def __init__(self, redis: Redis, name: str, limit: int, lockout: int) -> None:
        self.redis, self.name, self.limit, self.lockout = redis, name, limit, lockout
        self._try = redis.register_script(_TRY)
        self._failure = redis.register_script(_FAILURE)
        self._locked_for = redis.register_script(_LOCKED_FOR)

    def _key(self, subject: str) -> str:
        return f"ompay:{self.name}:attempts:{subject}"

    async def attempt(self, subject: str) -> int:
        """Count a try before its secret is checked: 0 to go ahead, else the seconds left on the lock."""
        keys, args = [self._key(subject)], [self.limit, self.lockout]
        deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
        while True:
            state, locked_for = await _fail_closed(self._try(keys=keys, args=args))
            if state == _ADMITTED:
                return 0
            if state == _LOCKED or asyncio.get_running_loop().time() >= deadline:
                return int(locked_for)
            await asyncio.sleep(POLL_SECONDS)

    async def record_failure(self, subject: str) -> int:
        """Count a wrong secret; returns the lock's length in seconds when this failure locks, else 0."""
        failures = await _fail_closed(self._failure(keys=[self._key(subject)], args=[self.lockout]))
        return self.lockout if int(failures) >= self.limit else 0

    async def locked_for(self, subject: str) -> int:
        """Seconds left on the subject's lock (0 when not locked); counts nothing."""
        return int(await _fail_closed(self._locked_for(keys=[self._key(subject)], args=[self.limit])))

    async def reset(self, subject: str) -> None:
        await _fail_closed(self.redis.delete(self._key(subject)))
