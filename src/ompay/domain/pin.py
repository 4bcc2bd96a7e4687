"""Transaction PIN rules: four digits, none of the guessable ones."""

from __future__ import annotations

import re
from itertools import pairwise

_FOUR_DIGITS = re.compile(r"^[0-9]{4}$")
_COMMON = frozenset({"1212", "1004", "2000", "2580", "6969", "1122", "4321", "1010"})


class WeakPin(ValueError):
    """A PIN refused as too easy to guess."""


def check_pin_strength(pin: str) -> None:
    """Refuse non-4-digit PINs, repeated digits (0000), runs (1234, 9876) and common choices."""
    if not _FOUR_DIGITS.match(pin):
        raise WeakPin("format")
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in pairwise(digits)}
    if len(set(digits)) == 1 or steps in ({1}, {-1}) or pin in _COMMON:
        raise WeakPin("guessable")
