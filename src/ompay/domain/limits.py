"""Limits on money movements, behind one interface evaluated inside the money transaction.

This issue implements per-kind amount bounds; KYC-tier limits (balance caps, monthly
credits, summed per person) plug into the same `LimitPolicy` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from ompay.domain.errors import DomainError
from ompay.domain.ledger import AccountState
from ompay.models.enums import EntryKind


class LimitExceeded(DomainError):
    code = "LIMIT_EXCEEDED"
    status = 400
    message_fr = "Montant hors des limites autorisées"
    message_en = "Amount outside the allowed limits"

    def __init__(self, limit: str, bound: int, headroom: int) -> None:
        super().__init__()
        self.limit, self.bound, self.headroom = limit, bound, headroom

    def message(self, language: str = "fr") -> str:
        if self.limit == "min_per_transaction":
            return (
                f"Montant minimum : {self.bound} FCFA"
                if language == "fr"
                else f"Minimum amount: {self.bound} XOF"
            )
        return (
            f"Montant maximum : {self.bound} FCFA"
            if language == "fr"
            else f"Maximum amount: {self.bound} XOF"
        )


@dataclass(frozen=True, slots=True)
class Movement:
    """What a limit policy sees of an entry about to be posted."""

    kind: EntryKind
    amount: int
    legs: Mapping[UUID, int]


class LimitPolicy(Protocol):
    async def check(self, movement: Movement, accounts: Mapping[UUID, AccountState]) -> None: ...


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

    async def check(self, movement: Movement, accounts: Mapping[UUID, AccountState]) -> None:
        self.check_amount(movement.kind, movement.amount)
