"""What the identity services share: keys, the password and PIN hashers, the sealer and Redis counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from config.settings import Settings
from ompay.lib.counters import LockoutCounter, WindowCounter
from ompay.lib.crypto import Keys, PinHasher, Sealer, SecretHasher
from ompay.lib.session_cache import LiveSessionCache

HOUR = 3600


@dataclass(frozen=True, slots=True)
class Security:
    settings: Settings
    keys: Keys
    hasher: SecretHasher
    pins: PinHasher
    sealer: Sealer
    otp_sends: WindowCounter
    otp_attempts: LockoutCounter
    login_attempts: LockoutCounter
    pin_attempts: LockoutCounter
    sessions: LiveSessionCache[Any]

    @classmethod
    def build(
        cls, settings: Settings, redis: Redis, sessions: LiveSessionCache[Any] | None = None
    ) -> Security:
        """One kit per process: keys derive from `APP_SECRET_KEY`, counters share the Redis client.
        `sessions` is the API process's session cache; elsewhere a cache that remembers nothing
        still announces revocations to the API processes."""
        auth = settings.auth
        keys = Keys.derive(settings.app.secret_key)
        hasher = SecretHasher(auth, keys.pin_pepper)
        return cls(
            settings=settings,
            keys=keys,
            hasher=hasher,
            pins=PinHasher.from_settings(auth, hasher),
            sealer=Sealer(keys.sealing),
            otp_sends=WindowCounter(redis, "otp-sends", auth.otp_max_sends_per_hour, HOUR),
            otp_attempts=LockoutCounter(redis, "otp", auth.otp_max_attempts, auth.otp_ttl),
            login_attempts=LockoutCounter(
                redis, "login", auth.login_max_failures, auth.login_lockout_seconds
            ),
            pin_attempts=LockoutCounter(redis, "pin", auth.pin_max_failures, auth.pin_lockout_seconds),
            sessions=sessions or LiveSessionCache(redis, 0),
        )
