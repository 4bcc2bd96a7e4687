"""The rules of a journal entry: legs sum to zero here, before any I/O; statuses and funds on
the locked rows, in the posting function (`ledger_posting_refusal`, created by migration), whose
refusals are the errors below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from ompay.domain.errors import DomainError

SYSTEM_SHARDS = 16  # rows per system account; fixed by the ledger migration


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: UUID
    amount: int  # signed: negative debits the account, positive credits it


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


def check_balanced(legs: Sequence[Leg]) -> None:
    """Legs sum to zero and none is empty; anything else is a programming error, refused before I/O."""
    if not legs or sum(leg.amount for leg in legs) != 0 or any(leg.amount == 0 for leg in legs):
        raise UnbalancedEntry(legs)


def shard_for(entry_id: UUID) -> int:
    return entry_id.int % SYSTEM_SHARDS
