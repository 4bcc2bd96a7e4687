"""Refusals specific to money movements (beyond funds and account status)."""

from __future__ import annotations

from ompay.domain.errors import DomainError, FieldError


class IdempotencyKeyReused(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"
    status = 422
    message_fr = "Cette clé d'idempotence a déjà servi pour une autre requête"
    message_en = "This idempotency key was already used for a different request"


class RecipientNotFound(DomainError):
    code = "RECIPIENT_NOT_FOUND"
    status = 404
    message_fr = "Destinataire introuvable"
    message_en = "Recipient not found"


class SelfTransfer(DomainError):
    code = "SELF_TRANSFER"
    status = 400
    message_fr = "Impossible de transférer vers son propre compte"
    message_en = "You cannot transfer to your own account"


class QuoteInvalid(DomainError):
    code = "QUOTE_INVALID"
    status = 400
    message_fr = "Le devis est expiré ou ne correspond pas à l'opération"
    message_en = "The quote has expired or does not match the operation"


class AlreadyReversed(DomainError):
    code = "ALREADY_REVERSED"
    status = 409
    message_fr = "Cette opération a déjà été annulée"
    message_en = "This operation was already reversed"


class CashOutNotPending(DomainError):
    code = "CASH_OUT_NOT_PENDING"
    status = 409
    message_fr = "Ce retrait n'est plus en attente"
    message_en = "This cash-out is no longer pending"


class FeeNotDefined(DomainError):
    """The fee schedule in force has no tier for the amount: a configuration gap, not the client's."""

    code = "FEE_NOT_DEFINED"
    status = 422
    message_fr = "Aucun frais n'est défini pour ce montant : essayez un montant plus faible"
    message_en = "No fee is defined for this amount: try a smaller amount"

    def __init__(self) -> None:
        super().__init__(errors=(FieldError("amount", self.message_fr, self.message_en),))


class BalanceNotZero(DomainError):
    """An account still holding money cannot be closed: it must be paid out first."""

    code = "BALANCE_NOT_ZERO"
    status = 409
    message_fr = "Un compte de cet utilisateur a un solde non nul : il doit être soldé avant la clôture"
    message_en = "An account of this user has a non-zero balance: it must be emptied before closing"

    def __init__(self, accounts: list[str]) -> None:
        super().__init__()
        self.accounts = accounts

    def extensions(self) -> dict[str, object]:
        return {"accounts": self.accounts}
