"""The rules of a journal entry, without I/O: legs sum to zero, funds and statuses hold.

`plan_postings` turns the requested legs and the locked accounts into the postings to
write (new balance and version per leg), or refuses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from ompay.domain.errors import DomainError

SYSTEM_SHARDS = 16  # rows per system account; fixed by the ledger migration


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: UUID
    amount: int  # signed: negative debits the account, positive credits it


@dataclass(frozen=True, slots=True)
class AccountState:
    id: UUID
    kind: str
    status: str
    balance: int
    version: int
    owner_id: UUID | None
    may_go_negative: bool
    person_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class PlannedPosting:
    account_id: UUID
    amount: int
    balance_after: int
    version: int


class UnbalancedEntry(ValueError):
    """A programming error: an entry's legs must sum to zero."""


class InsufficientFunds(DomainError):
    code = "INSUFFICIENT_FUNDS"
    status = 400
    message_fr = "Solde insuffisant pour effectuer cette opération"
    message_en = "Insufficient balance for this operation"


class AccountNotActive(DomainError):
    code = "ACCOUNT_INACTIVE"
    status = 400
    message_fr = "Le compte n'est pas actif"
    message_en = "The account is not active"


class RecipientInactive(DomainError):
    code = "RECIPIENT_INACTIVE"
    status = 400
    message_fr = "Le compte du destinataire n'est pas actif"
    message_en = "The recipient's account is not active"


def plan_postings(
    legs: Sequence[Leg], accounts: Mapping[UUID, AccountState], debtor: UUID | None
) -> list[PlannedPosting]:
    """Postings for `legs`, applied in order per account; refuses inactive accounts and overdrafts.

    `debtor` is the account whose inactivity is the caller's problem (their own wallet);
    any other inactive account is reported as the recipient's.
    """
    if not legs or sum(leg.amount for leg in legs) != 0 or any(leg.amount == 0 for leg in legs):
        raise UnbalancedEntry(legs)
    balances = {account_id: (state.balance, state.version) for account_id, state in accounts.items()}
    planned = []
    for leg in legs:
        state = accounts[leg.account_id]
        if state.status != "active":
            raise AccountNotActive() if leg.account_id == debtor else RecipientInactive()
        balance, version = balances[leg.account_id]
        balance, version = balance + leg.amount, version + 1
        if balance < 0 and not state.may_go_negative:
            raise InsufficientFunds()
        balances[leg.account_id] = (balance, version)
        planned.append(PlannedPosting(leg.account_id, leg.amount, balance, version))
    return planned


def shard_for(entry_id: UUID) -> int:
    return entry_id.int % SYSTEM_SHARDS
