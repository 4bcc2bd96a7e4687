"""Redis clients that fail fast, and a rate-limit store that fails open.

When Redis is down the API keeps serving money movements (the outbox holds the side
effects), so the coarse per-IP limiter must not turn a Redis outage into 500s.
"""

from __future__ import annotations

from datetime import timedelta

from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from redis.exceptions import RedisError

from config.logging import get_logger
from config.settings import RedisSettings

logger = get_logger(__name__)


def create_redis(settings: RedisSettings) -> Redis:
    return Redis.from_url(
        settings.url,
        socket_connect_timeout=settings.connect_timeout,
        socket_timeout=settings.socket_timeout,
    )


class FailOpenRedisStore(RedisStore):
    """A RedisStore whose reads miss and writes drop while Redis is unreachable."""

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        try:
            return await super().get(key, renew_for)
        except (RedisError, OSError):
            logger.warning("rate-limit store unavailable; allowing request")
            return None

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        try:
            await super().set(key, value, expires_in)
        except (RedisError, OSError):
            return
