"""Keyed hashes, password/PIN hashing and sealing of secrets at rest.

Everything but the PIN pepper derives from APP_SECRET_KEY with a purpose label, so a key used
for OTP hashes can never verify a refresh token. Passwords use argon2id in worker threads, a few
at a time: each hash costs ~19 MiB and tens of milliseconds of CPU. PINs use a keyed hash under
their own pepper (`PinHasher`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from config.settings import AuthSettings

T = TypeVar("T")


def derive_key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"ompay:{purpose}".encode(), hashlib.sha256).digest()


def keyed_hash(key: bytes, value: str) -> str:
    """HMAC-SHA256 hex: how OTPs, refresh tokens and API keys are stored."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def same_hash(expected: str, actual: str) -> bool:
    return hmac.compare_digest(expected, actual)


def random_digits(length: int) -> str:
    return f"{secrets.randbelow(10**length):0{length}d}"


def random_token(prefix: str = "", nbytes: int = 32) -> str:
    return f"{prefix}{secrets.token_urlsafe(nbytes)}"


@dataclass(frozen=True, slots=True)
class Keys:
    """One key per purpose, all derived from APP_SECRET_KEY."""

    otp: bytes
    refresh_token: bytes
    api_key: bytes
    pin_pepper: bytes
    sealing: bytes
    qr_payload: bytes
    access_token: str

    @classmethod
    def derive(cls, secret: str) -> Keys:
        return cls(
            otp=derive_key(secret, "otp"),
            refresh_token=derive_key(secret, "refresh-token"),
            api_key=derive_key(secret, "api-key"),
            pin_pepper=derive_key(secret, "pin-pepper"),
            sealing=derive_key(secret, "sealing"),
            qr_payload=derive_key(secret, "qr-payload"),
            access_token=derive_key(secret, "access-token").hex(),
        )


class SecretHasher:
    """argon2id for passwords and PINs (a PIN is peppered first: 10 000 PINs are no secret)."""

    def __init__(self, settings: AuthSettings, pin_pepper: bytes) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        self._pepper = pin_pepper
        self._limiter = anyio.CapacityLimiter(settings.hash_concurrency)

    async def hash_password(self, password: str) -> str:
        return await self._run(self._hasher.hash, password)

    async def verify_password(self, hashed: str, password: str) -> bool:
        return await self._run(self._verify, hashed, password)

    async def hash_pin(self, pin: str) -> str:
        """Only how PINs were stored before `PinHasher`: kept to test their upgrade."""
        return await self._run(self._hasher.hash, self._peppered(pin))

    async def verify_pin(self, hashed: str, pin: str) -> bool:
        return await self._run(self._verify, hashed, self._peppered(pin))

    def needs_rehash(self, hashed: str) -> bool:
        return self._hasher.check_needs_rehash(hashed)

    def _peppered(self, pin: str) -> str:
        return keyed_hash(self._pepper, pin)

    def _verify(self, hashed: str, secret: str) -> bool:
        try:
            return self._hasher.verify(hashed, secret)
        except (VerificationError, InvalidHashError):
            return False

    async def _run(self, function: Callable[..., T], *args: str) -> T:
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)


@dataclass(frozen=True, slots=True)
class PinCheck:
    correct: bool
    outdated: bool
    """Correct but stored under an argon2 hash or an older pepper: rehash it now."""


class PinHasher:
    """PINs as `pin-v{N}$HMAC-SHA256(pepper_vN, user id ‖ PIN)`: microseconds, not an argon2 hash.

    A 4-digit PIN has 10 000 values, so no hash makes a stolen table safe; what protects it is the
    pepper kept apart from the database and the lockout after 3 wrong tries. The user id makes
    two users' equal PINs differ. Hashes from before (argon2id of a peppered PIN) still verify,
    and are marked outdated for the caller to replace.
    """

    def __init__(self, peppers: Mapping[int, bytes], current: int, legacy: SecretHasher) -> None:
        self._peppers = peppers
        self._current = current
        self._legacy = legacy

    @classmethod
    def from_settings(cls, settings: AuthSettings, legacy: SecretHasher) -> PinHasher:
        version = settings.pin_pepper_version
        peppers = {version: settings.pin_pepper.encode()}
        if settings.pin_pepper_previous and version > 1:
            peppers[version - 1] = settings.pin_pepper_previous.encode()
        return cls(peppers, version, legacy)

    def hash(self, user_id: UUID, pin: str) -> str:
        return self._hashed(self._current, user_id, pin)

    async def check(self, stored: str, user_id: UUID, pin: str) -> PinCheck:
        prefix, _, _ = stored.partition("$")
        if not prefix.startswith("pin-v"):
            return PinCheck(await self._legacy.verify_pin(stored, pin), outdated=True)
        version_text = prefix.removeprefix("pin-v")
        version = int(version_text) if version_text.isascii() and version_text.isdigit() else 0
        if version not in self._peppers:
            return PinCheck(correct=False, outdated=False)
        correct = hmac.compare_digest(stored, self._hashed(version, user_id, pin))
        return PinCheck(correct, outdated=version != self._current)

    def _hashed(self, version: int, user_id: UUID, pin: str) -> str:
        digest = hmac.new(self._peppers[version], f"{user_id}:{pin}".encode(), hashlib.sha256).hexdigest()
        return f"pin-v{version}${digest}"


class Sealer:
    """Authenticated encryption for secrets that must be readable later (an SMS waiting in the outbox)."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def unseal(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("sealed value is corrupt or was sealed with another key") from exc
