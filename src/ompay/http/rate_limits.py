"""The three request limits: coarse per IP everywhere, per IP on sign-in, per user on legacy wallet routes."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from config.settings import Settings
from ompay.http.middleware.rate_limit import RateLimitMiddleware, user_or_ip
from ompay.lib.counters import WindowCounter

MINUTE = 60
UNLIMITED_PATHS = (r"^/health", r"^/metrics", r"^/docs", r"^/schema")


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_ip: RateLimitMiddleware
    sign_in: RateLimitMiddleware
    per_user: RateLimitMiddleware
    counters: dict[str, WindowCounter]

    @classmethod
    def build(cls, settings: Settings, redis: Redis) -> RateLimits:
        http = settings.http
        limits = {
            "ip": http.rate_limit_per_minute,
            "sign-in": http.auth_rate_limit_per_minute,
            "user": http.user_rate_limit_per_minute,
        }
        return cls(
            per_ip=RateLimitMiddleware("ip", exclude=UNLIMITED_PATHS),
            sign_in=RateLimitMiddleware("sign-in"),
            per_user=RateLimitMiddleware("user", identify=user_or_ip),
            counters={
                name: WindowCounter(redis, f"rate:{name}", limit, MINUTE, fail_open=True)
                for name, limit in limits.items()
            },
        )
