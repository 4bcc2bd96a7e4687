"""Reusable field types and parsers shared by request schemas (v1 and legacy)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated

import msgspec

from ompay.domain.errors import invalid_field
from ompay.domain.phone import InvalidPhone, normalise_phone

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
OtpCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}$", examples=["123456"])]
Pin = Annotated[str, msgspec.Meta(pattern=r"^\d{4}$", examples=["4821"])]
PhoneInput = Annotated[
    str, msgspec.Meta(min_length=9, max_length=20, examples=["771234567", "+221771234567"])
]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


def parse_phone(raw: str, prefixes: Collection[str], field: str = "phone") -> str:
    """E.164 from any accepted spelling, or a 422 naming `field`."""
    try:
        return normalise_phone(raw, prefixes)
    except InvalidPhone:
        raise invalid_field(
            field,
            "Numéro de téléphone invalide (ex. 771234567 ; préfixes " + ", ".join(sorted(prefixes)) + ").",
            "Invalid phone number (e.g. 771234567; prefixes " + ", ".join(sorted(prefixes)) + ").",
        ) from None
