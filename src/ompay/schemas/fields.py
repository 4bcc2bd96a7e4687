"""Reusable field types and parsers shared by request schemas (v1 and legacy).

Every text a client sends goes through one of these types: no control character (Postgres
refuses NUL, logs and SMS mangle the rest), trimmed (`RequestBody`), digits are ASCII `[0-9]`
(`\\d` would let full-width digits through). `PATTERN_MESSAGES` says, per pattern, what a
person is told when a value does not match.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

from ompay.domain.errors import invalid_field
from ompay.domain.phone import InvalidPhone, normalise_phone
from ompay.domain.text import CONTROL_CHARACTERS

TEXT_PATTERN = rf"^[^{CONTROL_CHARACTERS}]*[^\s{CONTROL_CHARACTERS}][^{CONTROL_CHARACTERS}]*$"
FREE_TEXT_PATTERN = rf"^[^{CONTROL_CHARACTERS}]*$"
SECRET_PATTERN = rf"^[^{CONTROL_CHARACTERS}]+$"
PIN_PATTERN = r"^[0-9]{4}$"
CODE_PATTERN = r"^[0-9]{6}$"
_EMAIL_PART = rf"[^@\s{CONTROL_CHARACTERS}]+"
EMAIL_PATTERN = rf"^ *{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART} *$"
_TRIMMED = {TEXT_PATTERN, FREE_TEXT_PATTERN, EMAIL_PATTERN}

_NO_CONTROL = ("Ne doit pas contenir de caractère de contrôle.", "Must not contain control characters.")
PATTERN_MESSAGES: dict[str, tuple[str, str]] = {
    TEXT_PATTERN: (
        "Ne doit être ni vide ni contenir de caractère de contrôle.",
        "Must not be blank or contain control characters.",
    ),
    FREE_TEXT_PATTERN: _NO_CONTROL,
    SECRET_PATTERN: _NO_CONTROL,
    PIN_PATTERN: ("Doit être composé de 4 chiffres (0-9).", "Must be 4 digits (0-9)."),
    CODE_PATTERN: ("Doit être composé de 6 chiffres (0-9).", "Must be 6 digits (0-9)."),
    EMAIL_PATTERN: ("Adresse e-mail invalide.", "Invalid email address."),
}

# Text: trimmed, never blank. Free text: trimmed, may be empty. Passwords: as typed, no control character.
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=TEXT_PATTERN)]
NationalId = Annotated[str, msgspec.Meta(max_length=20, pattern=TEXT_PATTERN, examples=["1234567890123"])]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=128, pattern=SECRET_PATTERN)]
AnyPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=128, pattern=SECRET_PATTERN)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=TEXT_PATTERN)]
OtpCode = Annotated[str, msgspec.Meta(pattern=CODE_PATTERN, examples=["123456"])]
Pin = Annotated[str, msgspec.Meta(pattern=PIN_PATTERN, examples=["4821"])]
PhoneInput = Annotated[
    str,
    msgspec.Meta(min_length=9, max_length=20, pattern=TEXT_PATTERN, examples=["771234567", "+221771234567"]),
]
Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN, max_length=254)]
Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=500, pattern=TEXT_PATTERN)]
"""Why staff did something irreversible (a reversal, a closure): kept in the audit trail."""


def text_query(max_length: int) -> QueryParameter:
    """A query parameter carrying text (it reaches SQL filters): same rules as body text."""
    return QueryParameter(pattern=TEXT_PATTERN, max_length=max_length)


def text_path(max_length: int) -> PathParameter:
    return PathParameter(pattern=TEXT_PATTERN, max_length=max_length)


class RequestBody(msgspec.Struct, frozen=True):
    """Base of every request body: its text fields arrive trimmed (patterns allow the margins)."""

    def __post_init__(self) -> None:
        for name in _trimmed_fields(type(self)):
            value = getattr(self, name)
            if isinstance(value, str):
                msgspec.structs.force_setattr(self, name, value.strip())


@cache
def _trimmed_fields(struct: type[msgspec.Struct]) -> tuple[str, ...]:
    """The fields typed with one of the text patterns (passwords, PINs and codes are kept as typed)."""
    names = []
    for field in msgspec.inspect.type_info(struct).fields:  # type: ignore[attr-defined]
        kinds = field.type.types if isinstance(field.type, msgspec.inspect.UnionType) else (field.type,)
        if any(isinstance(kind, msgspec.inspect.StrType) and kind.pattern in _TRIMMED for kind in kinds):
            names.append(field.name)
    return tuple(names)


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
