"""Senegalese mobile numbers: accepted in four spellings, stored and returned in E.164."""

from __future__ import annotations

import re
from collections.abc import Collection

COUNTRY_CODE = "221"
_SPELLINGS = re.compile(r"^(?:(?:\+|00)?221)?(?P<local>7[0-9]{8})$")


class InvalidPhone(ValueError):
    """Not a mobile number OMPAY serves."""


def normalise_phone(raw: str, prefixes: Collection[str]) -> str:
    """`771234567`, `221771234567`, `+221771234567` or `00221771234567` -> `+221771234567`."""
    compact = re.sub(r"[\s.-]", "", raw)
    match = _SPELLINGS.match(compact)
    if match is None or match["local"][:2] not in prefixes:
        raise InvalidPhone(raw)
    return f"+{COUNTRY_CODE}{match['local']}"


def local_form(e164: str) -> str:
    """The 9-digit form the legacy API returns: `+221771234567` -> `771234567`."""
    return e164.removeprefix(f"+{COUNTRY_CODE}")
