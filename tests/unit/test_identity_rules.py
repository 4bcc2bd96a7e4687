"""Pure identity rules: phone spellings, national IDs, age, PIN strength."""

from __future__ import annotations

from datetime import date

import pytest

from ompay.domain.identity import IdKind, InvalidNationalId, age_on, is_adult, national_id_kind
from ompay.domain.phone import InvalidPhone, local_form, normalise_phone
from ompay.domain.pin import WeakPin, check_pin_strength

PREFIXES = {"70", "75", "76", "77", "78"}


@pytest.mark.parametrize(
    "raw", ["771234567", "221771234567", "+221771234567", "00221771234567", "77 123 45 67"]
)
def test_every_accepted_spelling_becomes_e164(raw: str) -> None:
    assert normalise_phone(raw, PREFIXES) == "+221771234567"


@pytest.mark.parametrize(
    "raw", ["711234567", "77123456", "7712345678", "+33612345678", "phone", "", "221 71 123 45 67"]
)
def test_other_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw, PREFIXES)


def test_the_legacy_form_is_the_nine_local_digits() -> None:
    assert local_form("+221781234567") == "781234567"


@pytest.mark.parametrize(
    ("value", "legacy", "kind"),
    [
        ("1234567890123", False, IdKind.NIN),
        ("1234567890123", True, IdKind.NIN),
        ("AB123456789", True, IdKind.LEGACY_CNI),
    ],
)
def test_accepted_national_ids(value: str, legacy: bool, kind: IdKind) -> None:
    assert national_id_kind(value, allow_legacy=legacy) == kind


@pytest.mark.parametrize(
    ("value", "legacy"),
    [
        ("1111111111111", True),
        ("123456789012", False),
        ("12345678901234", False),
        ("AB123456789", False),
        ("ab123456789", True),
    ],
)
def test_refused_national_ids(value: str, legacy: bool) -> None:
    with pytest.raises(InvalidNationalId):
        national_id_kind(value, allow_legacy=legacy)


def test_age_counts_whole_years_to_the_birthday() -> None:
    assert age_on(date(2008, 11, 23), date(2026, 11, 22)) == 17
    assert age_on(date(2008, 11, 22), date(2026, 11, 22)) == 18
    assert not is_adult(date(2008, 11, 23), date(2026, 11, 22))
    assert is_adult(date(2008, 11, 22), date(2026, 11, 22))


@pytest.mark.parametrize(
    "pin", ["0000", "1111", "9999", "1234", "4321", "0123", "9876", "6789", "1212", "123", "12a4", "12345"]
)
def test_weak_or_malformed_pins_are_refused(pin: str) -> None:
    with pytest.raises(WeakPin):
        check_pin_strength(pin)


@pytest.mark.parametrize("pin", ["4821", "9063", "1357", "2024"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    check_pin_strength(pin)
