"""Limits on money movements.

Two kinds of limit apply: per-kind amount bounds (from settings, here, checked before any lock)
and KYC tier limits (`domain/tier_limits.py`, checked by the posting function on the locked rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ompay.domain.amounts import grouped
from ompay.domain.errors import DomainError
from ompay.models.enums import EntryKind

_MESSAGES = {
    "min_per_transaction": ("Montant minimum : {bound} FCFA", "Minimum amount: {bound} XOF"),
    "max_per_transaction": ("Montant maximum : {bound} FCFA", "Maximum amount: {bound} XOF"),
    "max_balance": (
        "Plafond de solde atteint : le compte peut encore recevoir {headroom} FCFA",
        "Balance cap reached: the account can still receive {headroom} XOF",
    ),
    "max_monthly_credits": (
        "Plafond mensuel de réception atteint : le compte peut encore recevoir {headroom} FCFA ce mois-ci",
        "Monthly credit cap reached: the account can still receive {headroom} XOF this month",
    ),
}


class LimitExceeded(DomainError):
    """The caller's own limit: names it and what room is left (v1 problem fields `limit`, `headroom`)."""

    code = "LIMIT_EXCEEDED"
    status = 400
    message_fr = "Montant hors des limites autorisées"
    message_en = "Amount outside the allowed limits"

    def __init__(self, limit: str, bound: int, headroom: int) -> None:
        super().__init__()
        self.limit, self.bound, self.headroom = limit, bound, headroom

    def message(self, language: str = "fr") -> str:
        french, english = _MESSAGES[self.limit]
        template = french if language == "fr" else english
        return template.format(bound=grouped(self.bound), headroom=grouped(self.headroom))

    def extensions(self) -> dict[str, object]:
        return {"limit": self.limit, "headroom": self.headroom}


@dataclass(frozen=True, slots=True)
class Bounds:
    minimum: int
    maximum: int


class AmountBounds:
    """Per-kind minimum and maximum per transaction."""

    def __init__(self, bounds: Mapping[EntryKind, Bounds]) -> None:
        self.bounds = bounds

    def check_amount(self, kind: EntryKind, amount: int) -> None:
        bounds = self.bounds.get(kind)
        if bounds is None:
            return
        if amount < bounds.minimum:
            raise LimitExceeded("min_per_transaction", bounds.minimum, 0)
        if amount > bounds.maximum:
            raise LimitExceeded("max_per_transaction", bounds.maximum, bounds.maximum)
