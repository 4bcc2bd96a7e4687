"""Live sessions remembered in-process for a few seconds, so most requests skip the session query.

A revocation (logout, "everywhere", a reused refresh token, an account closed) is announced on a
Redis channel once committed; every API process subscribed to it forgets that user's sessions at
once, and the announcing process forgets them before publishing. A process that is not subscribed
(Redis down, reconnecting) remembers nothing: a revocation it could not hear of is never served
from memory. Nothing is remembered longer than `AUTH_SESSION_CACHE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Generic, TypeVar
from uuid import UUID

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from config.logging import get_logger

CHANNEL = "ompay:sessions:revoked"
MAX_ENTRIES = 100_000
RECONNECT_SECONDS = 1.0
PING_SECONDS = 10.0

T = TypeVar("T")
logger = get_logger(__name__)


class LiveSessionCache(Generic[T]):
    def __init__(self, redis: Redis, ttl_seconds: float) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self._entries: dict[UUID, tuple[float, UUID, T]] = {}
        self._sessions_of: dict[UUID, set[UUID]] = {}
        """Each user's remembered sessions, so a revocation costs its own sessions, not a scan."""
        self.listening = False
        self._stopped = False

    def get(self, session_id: UUID, user_id: UUID) -> T | None:
        entry = self._entries.get(session_id)
        if entry is None or not self.listening:
            return None
        expires, owner, value = entry
        if owner != user_id or expires <= time.monotonic():
            return None
        return value

    def remember(self, session_id: UUID, user_id: UUID, value: T) -> None:
        if self.listening and self.ttl > 0:
            if len(self._entries) >= MAX_ENTRIES:
                self._forget_all()
            self._entries[session_id] = (time.monotonic() + self.ttl, user_id, value)
            self._sessions_of.setdefault(user_id, set()).add(session_id)

    def forget_user(self, user_id: UUID) -> None:
        for session_id in self._sessions_of.pop(user_id, ()):
            self._entries.pop(session_id, None)

    def _forget_all(self) -> None:
        self._entries.clear()
        self._sessions_of.clear()

    async def announce(self, user_id: UUID) -> None:
        """After the revocation's commit: forget here, then tell the other processes (best effort:
        if Redis is unreachable, they are not subscribed either, so they remember nothing)."""
        self.forget_user(user_id)
        try:
            await self.redis.publish(CHANNEL, str(user_id))
        except Exception as exc:
            await logger.awarning("session revocation not announced", error=type(exc).__name__)

    async def listen(self) -> None:
        """Runs for the process's lifetime, resubscribing after any error; a ping now and then
        finds a connection that died without a word."""
        while not self._stopped:
            try:
                async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self._forget_all()
                    self.listening = True
                    await self._hear(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await logger.awarning("session revocations not heard; cache off", error=type(exc).__name__)
            finally:
                self.listening = False
                self._forget_all()
            if not self._stopped:
                await asyncio.sleep(RECONNECT_SECONDS)

    async def stop(self, task: asyncio.Task[None]) -> None:
        """At shutdown: the listener ends within a couple of seconds even if a cancellation is lost
        inside the Redis client."""
        self._stopped = True
        task.cancel()
        await asyncio.wait([task], timeout=2.0)

    async def _hear(self, pubsub: PubSub) -> None:
        pinged = time.monotonic()
        while not self._stopped:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message.get("type") == "message":
                self.forget_user(UUID(message["data"].decode()))
            if time.monotonic() - pinged > PING_SECONDS:
                await pubsub.ping()
                pinged = time.monotonic()
