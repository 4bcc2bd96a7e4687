"""KYC tier limits without I/O: balance cap, monthly credits and per-transaction maximum, per person.

A person's accounts are summed; the policy that locks and reads what these rules need is
`services/compliance/limits.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from ompay.domain.calendar import DAKAR
from ompay.domain.errors import DomainError
from ompay.domain.ledger import AccountNotActive, AccountState
from ompay.domain.limits import LimitExceeded, Movement
from ompay.models.enums import EntryKind

UNCAPPED_KINDS = frozenset({EntryKind.REVERSAL, EntryKind.REFUND, EntryKind.ADJUSTMENT})
"""Entries that give back money the holder already had, or correct the books: refusing them
for a tier limit would strand the money in suspense, so only the other kinds count."""


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

    def refusal(self, amount: int, credit: int) -> LimitExceeded | None:
        """Why moving `amount`, of which `credit` comes in net, breaks a limit; None when it fits."""
        per_transaction = self.limits.max_per_transaction
        if per_transaction is not None and amount > per_transaction:
            return LimitExceeded("max_per_transaction", per_transaction, per_transaction)
        if credit <= 0:
            return None
        balance_room, monthly_room = self.balance_headroom, self.monthly_headroom
        if balance_room is not None and credit > balance_room:
            return LimitExceeded("max_balance", self.limits.max_balance or 0, balance_room)
        if monthly_room is not None and credit > monthly_room:
            return LimitExceeded("max_monthly_credits", self.limits.max_monthly_credits or 0, monthly_room)
        return None


def check_holding(holding: Holding, amount: int, credit: int, own: bool) -> None:
    """Refuse a movement that breaks the holder's limits; the counterparty's refusal says nothing more."""
    refusal = holding.refusal(amount, credit)
    if refusal is not None:
        raise refusal if own else CounterpartyLimitExceeded()


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


def net_by_person(movement: Movement, accounts: Mapping[UUID, AccountState]) -> dict[UUID, int]:
    """The entry's net movement on each person's accounts (OMPAY's own accounts have no person)."""
    net: dict[UUID, int] = {}
    for account_id, amount in movement.legs.items():
        person = accounts[account_id].person_id
        if person is not None:
            net[person] = net.get(person, 0) + amount
    return net


def held_by_person(accounts: Mapping[UUID, AccountState]) -> dict[UUID, int]:
    """Balances summed per person over the locked accounts (every account of each person involved)."""
    held: dict[UUID, int] = {}
    for state in accounts.values():
        if state.person_id is not None:
            held[state.person_id] = held.get(state.person_id, 0) + state.balance
    return held


def credit_month(moment: datetime) -> date:
    """The calendar month, in Africa/Dakar, whose credits a movement at `moment` counts towards."""
    return moment.astimezone(DAKAR).date().replace(day=1)
