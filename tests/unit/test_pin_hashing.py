"""PINs as keyed hashes: fast, salted by user, and rotatable by pepper version."""

from __future__ import annotations

from uuid import UUID

from config.settings import AuthSettings
from ompay.lib.crypto import PinHasher, SecretHasher

ALICE, BOB = UUID(int=1), UUID(int=2)
V1, V2 = "a" * 40, "b" * 40


def hasher(**auth: object) -> PinHasher:
    settings = AuthSettings(**auth)  # type: ignore[arg-type]
    return PinHasher.from_settings(settings, SecretHasher(settings, b"legacy" * 6))


async def test_the_same_pin_hashes_differently_per_user_and_checks_only_for_its_user() -> None:
    pins = hasher(pin_pepper=V1)
    stored = pins.hash(ALICE, "4821")
    assert stored.startswith("pin-v1$")
    assert stored != pins.hash(BOB, "4821")
    assert (await pins.check(stored, ALICE, "4821")).correct
    assert not (await pins.check(stored, BOB, "4821")).correct
    assert not (await pins.check(stored, ALICE, "4822")).correct


async def test_a_rotated_pepper_still_checks_old_hashes_and_asks_for_an_upgrade() -> None:
    old = hasher(pin_pepper=V1).hash(ALICE, "4821")
    rotated = hasher(pin_pepper=V2, pin_pepper_version=2, pin_pepper_previous=V1)
    check = await rotated.check(old, ALICE, "4821")
    assert (check.correct, check.outdated) == (True, True)
    upgraded = rotated.hash(ALICE, "4821")
    assert upgraded.startswith("pin-v2$")
    assert (await rotated.check(upgraded, ALICE, "4821")).outdated is False
    forgotten = hasher(pin_pepper=V2, pin_pepper_version=3)
    assert not (await forgotten.check(old, ALICE, "4821")).correct  # a retired pepper opens nothing
    assert not (await forgotten.check("pin-vX$00", ALICE, "4821")).correct
