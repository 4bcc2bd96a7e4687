"""Identity rules at registration: national ID numbers and the minimum age."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

MINIMUM_AGE = 18
_NIN = re.compile(r"^[0-9]{13}$")
_LEGACY_CNI = re.compile(r"^[A-Z]{2}[0-9]{9}$")


class IdKind(StrEnum):
    NIN = "nin"
    LEGACY_CNI = "legacy_cni"


class InvalidNationalId(ValueError):
    """Not a national ID number we accept."""


def national_id_kind(value: str, *, allow_legacy: bool) -> IdKind:
    """The kind of a valid ID: a 13-digit NIN (not one repeated digit) or, on legacy routes, `AB123456789`."""
    if _NIN.match(value) and len(set(value)) > 1:
        return IdKind.NIN
    if allow_legacy and _LEGACY_CNI.match(value):
        return IdKind.LEGACY_CNI
    raise InvalidNationalId(value)


def age_on(birth_date: date, today: date) -> int:
    years = today.year - birth_date.year
    return years - ((today.month, today.day) < (birth_date.month, birth_date.day))


def is_adult(birth_date: date, today: date) -> bool:
    return age_on(birth_date, today) >= MINIMUM_AGE
