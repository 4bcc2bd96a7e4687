"""Legacy amounts: Laravel's `numeric` rule (1000, 1000.0, "1000", "1e3"), in whole XOF.

The Laravel app validated amounts with `numeric|min|max`, so its clients send numbers, floats
with a zero fraction and numeric strings alike. The legacy router decodes these field types with
`decode_legacy_amount` (registered in `LEGACY_TYPE_DECODERS`), independently of how strictly
/api/v1 parses its own amounts; a fractional or non-numeric value is a 422 on that field.

msgspec hands back an instance of the field type (an `int` subclass); controllers pass
`int(amount)` on, so no encoder further down ever meets the subclass.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from ompay.domain.amounts import grouped

# PHP's numeric strings: optional blanks and sign, digits with an optional point, an optional exponent.
_NUMERIC_STRING = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")


class LegacyAmount(int):
    """A legacy amount field type: whole XOF within [minimum, maximum]."""

    minimum: ClassVar[int] = 100
    maximum: ClassVar[int]

    @classmethod
    def parse(cls, raw: object) -> LegacyAmount:
        """The whole XOF amount `raw` stands for, or a ValueError worded as the Laravel app did."""
        if raw is None:
            raise ValueError("Le montant est obligatoire.")
        number = _number(raw)
        if number is None:
            raise ValueError("Le montant doit être un nombre.")
        if number < cls.minimum:
            raise ValueError(f"Le montant minimum est de {grouped(cls.minimum)} FCFA.")
        if number > cls.maximum:
            raise ValueError(f"Le montant maximum est de {grouped(cls.maximum)} FCFA.")
        if number != number.to_integral_value():
            raise ValueError("Le montant doit être un nombre entier de FCFA (sans décimales).")
        return cls(number)


class DepositAmount(LegacyAmount):
    maximum = 5_000_000


class TransferAmount(LegacyAmount):
    """Withdrawals, transfers and merchant payments."""

    maximum = 1_000_000


def _number(raw: object) -> Decimal | None:
    """The exact value of a JSON number or numeric string; None for anything else (booleans too)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = Decimal(raw)
    elif isinstance(raw, str) and _NUMERIC_STRING.fullmatch(raw):
        number = Decimal(raw.strip())
    else:
        return None
    return number if number.is_finite() else None


def is_legacy_amount(target: Any) -> bool:
    return isinstance(target, type) and issubclass(target, LegacyAmount)


def decode_legacy_amount(target: type[LegacyAmount], raw: object) -> LegacyAmount:
    return target.parse(raw)


LEGACY_TYPE_DECODERS = [(is_legacy_amount, decode_legacy_amount)]
