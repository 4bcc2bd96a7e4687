"""The 4-digit transaction PIN: set once, changed with the old one, reset by SMS code."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.auth_errors import PinAlreadySet, PinIncorrect, PinLocked, PinNotSet
from ompay.domain.errors import invalid_field
from ompay.domain.pin import WeakPin, check_pin_strength
from ompay.models import OtpPurpose, User
from ompay.repositories.users import UserRepository
from ompay.services.identity.otp import OtpService
from ompay.services.identity.security import Security
from ompay.services.unit_of_work import UnitOfWork


class PinService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.users = UserRepository(session=uow.session)
        self.otp = OtpService(uow, security)

    async def set_first(self, user_id: UUID, pin: str) -> None:
        """Only a wallet without a PIN may set one here; changing a PIN requires the current one."""
        user = await self.users.get(user_id)
        if user.pin_hash is not None:
            raise PinAlreadySet()
        await self._store(user, pin, "pin.set")

    async def change(self, user_id: UUID, current_pin: str, new_pin: str) -> None:
        """The current PIN is checked (and counted toward the lockout) before the new one is stored."""
        user = await self.users.get(user_id)
        await self.verify(user, current_pin)
        await self._store(user, new_pin, "pin.changed", field="new_pin")

    async def reset(self, user_id: UUID, code: str, new_pin: str) -> None:
        """Forgotten PIN: an SMS code (purpose `pin_reset`) replaces it and lifts any PIN lock."""
        user = await self.users.get(user_id)
        _check_strength(new_pin, "new_pin")
        await self.otp.consume(user.phone, OtpPurpose.PIN_RESET, code)
        await self.security.pin_attempts.reset(str(user.id))
        await self._store(user, new_pin, "pin.reset", field="new_pin")

    async def verify(self, user: User, pin: str) -> None:
        """Check a PIN before a sensitive action; `pin_max_failures` wrong ones lock it for a while.

        The try is counted before the PIN is checked, so parallel guesses cannot get past the limit.
        A correct PIN stored the old way (argon2, or an older pepper) is rehashed, and saved with
        the action's own commit.
        """
        if user.pin_hash is None:
            raise PinNotSet()
        subject = str(user.id)
        locked_for = await self.security.pin_attempts.attempt(subject)
        if locked_for:
            raise PinLocked(retry_after=locked_for)
        check = await self.security.pins.check(user.pin_hash, user.id, pin)
        if not check.correct:
            lockout = await self.security.pin_attempts.record_failure(subject)
            if lockout:
                self.uow.audit.record(
                    "pin.locked", Actor.system("auth"), target_type="user", target_id=subject
                )
                await self.uow.commit()
                raise PinLocked(retry_after=lockout)
            raise PinIncorrect()
        await self.security.pin_attempts.reset(subject)
        if check.outdated:
            user.pin_hash = self.security.pins.hash(user.id, pin)  # saved with the caller's commit

    async def ensure_unlocked(self, user_id: UUID) -> None:
        """Refuse while the user's PIN is locked: an action taken without a PIN must not bypass the lock."""
        locked_for = await self.security.pin_attempts.locked_for(str(user_id))
        if locked_for:
            raise PinLocked(retry_after=locked_for)

    async def _store(self, user: User, pin: str, action: str, field: str = "pin") -> None:
        _check_strength(pin, field)
        user.pin_hash = self.security.pins.hash(user.id, pin)
        user.pin_changed_at = datetime.now(UTC)
        self.uow.audit.record(action, Actor("user", str(user.id)), target_type="user", target_id=str(user.id))
        await self.uow.commit()


def _check_strength(pin: str, field: str) -> None:
    try:
        check_pin_strength(pin)
    except WeakPin as weak:
        if str(weak) == "format":
            raise invalid_field(
                field, "Le code PIN doit comporter 4 chiffres.", "The PIN must be 4 digits."
            ) from None
        raise invalid_field(
            field,
            "Ce code PIN est trop facile à deviner (chiffres répétés ou qui se suivent).",
            "This PIN is too easy to guess (repeated or consecutive digits).",
        ) from None
