"""KYC tier limits: balance cap, monthly credits and per-transaction maximum, per person.

A person's accounts are summed. The posting function (`ledger_limit_refusal`, created by
migration) holds each movement to them on the locked rows; here are the refusals it returns,
the headroom a wallet shows, and the checks a route can make before the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ompay.domain.calendar import DAKAR
from ompay.domain.errors import DomainError
from ompay.domain.ledger import AccountNotActive
from ompay.domain.limits import LimitExceeded
from ompay.models.enums import EntryKind

UNCAPPED_KINDS = frozenset({EntryKind.REVERSAL, EntryKind.REFUND, EntryKind.ADJUSTMENT})
"""Entries that give back money the holder already had, or correct the books: refusing them
for a tier limit would strand the money in suspense, so only the other kinds count."""


class NoLimitsInForce(RuntimeError):
    """A tier without a limits version in force: refuse the movement rather than let it pass unchecked."""


class CounterpartyLimitExceeded(DomainError):
    """The other party's limit: saying which, or how much room is left, would reveal their balance."""

    code = "LIMIT_EXCEEDED"
    status = 400
    message_fr = "Le compte du bénéficiaire ne peut pas recevoir ce montant"
    message_en = "The recipient's account cannot receive this amount"

    def extensions(self) -> dict[str, object]:
        return {"limit": "counterparty"}


@dataclass(frozen=True, slots=True)
class TierLimits:
    """A tier's limits in force; None is no limit."""

    tier: str
    max_balance: int | None
    max_monthly_credits: int | None
    max_per_transaction: int | None


@dataclass(frozen=True, slots=True)
class Holding:
    """What a person holds and has received this month, against their tier's limits."""

    limits: TierLimits
    held: int
    credited_this_month: int

    @property
    def balance_headroom(self) -> int | None:
        cap = self.limits.max_balance
        return None if cap is None else max(0, cap - self.held)

    @property
    def monthly_headroom(self) -> int | None:
        cap = self.limits.max_monthly_credits
        return None if cap is None else max(0, cap - self.credited_this_month)


@dataclass(frozen=True, slots=True)
class MoneyGate:
    """What a money route reads before the transaction: the caller's wallet status and per-transaction max."""

    status: str
    max_per_transaction: int | None


def early_refusal(gate: MoneyGate, amount: int | None) -> DomainError | None:
    """What the transaction would refuse anyway, known from the caller's own wallet and tier."""
    if gate.status != "active":
        return AccountNotActive()
    cap = gate.max_per_transaction
    if amount is not None and cap is not None and amount > cap:
        return LimitExceeded("max_per_transaction", cap, cap)
    return None


@dataclass(frozen=True, slots=True)
class TierLimitsAt:
    """When a movement is held to the tier limits: the month its credits count towards, and the
    moment whose limits are in force."""

    month: date
    now: datetime


def credit_month(moment: datetime) -> date:
    """The calendar month, in Africa/Dakar, whose credits a movement at `moment` counts towards."""
    return moment.astimezone(DAKAR).date().replace(day=1)
