"""Redis clients that fail fast: when Redis is down the outbox holds the side effects."""

from __future__ import annotations

from redis.asyncio import Redis

from config.settings import RedisSettings


def create_redis(settings: RedisSettings) -> Redis:
    return Redis.from_url(
        settings.url,
        socket_connect_timeout=settings.connect_timeout,
        socket_timeout=settings.socket_timeout,
    )
