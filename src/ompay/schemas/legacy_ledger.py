"""Legacy wallet views: entries and postings projected onto the Laravel `transactions` rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec

from ompay.domain.phone import local_form
from ompay.models import AccountStatus, EntryKind, EntryStatus, JournalEntry, LedgerAccount, User
from ompay.repositories.hot_reads import WalletBalance
from ompay.schemas.fields import FREE_TEXT_PATTERN, TEXT_PATTERN, PhoneInput, RequestBody
from ompay.schemas.legacy_amounts import DepositAmount, TransferAmount
from ompay.services.ledger.posting import Posted
from ompay.services.ledger.wallet import Line

CURRENCY_LABEL = "FCFA"
LEGACY_TYPES = {
    EntryKind.CASH_IN: "depot",
    EntryKind.CASH_OUT: "retrait",
    EntryKind.P2P_TRANSFER: "transfert",
    EntryKind.MERCHANT_PAYMENT: "paiement",
}
KINDS_BY_LEGACY_TYPE = {legacy: kind for kind, legacy in LEGACY_TYPES.items()}
LEGACY_STATUS = {EntryStatus.POSTED: "reussi", EntryStatus.REVERSED: "annule"}
LEGACY_ACCOUNT_STATUS = {AccountStatus.ACTIVE: "actif", AccountStatus.INACTIVE: "inactif"}
LEDGER_FIELDS = {"recipient_phone": "recipient_telephone", "phone": "telephone"}
PAYMENT_FIELDS = {"merchant_code": "code_marchand", "amount": "montant"}

Description = Annotated[str, msgspec.Meta(max_length=255, pattern=FREE_TEXT_PATTERN)]


class LegacyDepositRequest(RequestBody, frozen=True):
    amount: DepositAmount
    description: Description | None = None


class LegacyWithdrawRequest(RequestBody, frozen=True):
    amount: TransferAmount
    description: Description | None = None


class LegacyTransferRequest(RequestBody, frozen=True):
    recipient_telephone: PhoneInput
    amount: TransferAmount
    description: Description | None = None


class LegacyMerchantPaymentRequest(RequestBody, frozen=True):
    code_marchand: Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=TEXT_PATTERN)]
    montant: TransferAmount


def _suffix(entry: JournalEntry, amount: int) -> str:
    """Transfers show as two rows sharing the reference: `D` for the sender, `C` for the recipient."""
    if entry.kind != EntryKind.P2P_TRANSFER:
        return ""
    return "D" if amount < 0 else "C"


def legacy_row(entry: JournalEntry, posting_id: Any, amount: int) -> dict[str, Any]:
    return {
        "id": str(posting_id),
        "type": LEGACY_TYPES.get(entry.kind, entry.kind.value),
        "montant": abs(amount),
        "statut": LEGACY_STATUS[entry.status],
        "reference": entry.reference + _suffix(entry, amount),
        "date_operation": entry.created_at.isoformat(),
        "description": entry.description,
    }


def line_row(line: Line) -> dict[str, Any]:
    return legacy_row(line.entry, line.posting.id, line.posting.amount)


def posted_rows(posted: Posted) -> tuple[dict[str, Any], dict[str, Any]]:
    """The debit and credit rows of a just-posted entry (a fee posting is not a customer row)."""
    entry = posted.entry
    debit = next((pid, amount) for pid, _, amount in posted.postings if amount < 0)
    credit = max(((pid, amount) for pid, _, amount in posted.postings if amount > 0), key=lambda row: row[1])
    return legacy_row(entry, *debit), legacy_row(entry, *credit)


def cash_data(posted: Posted, wallet_row: dict[str, Any]) -> dict[str, Any]:
    """A self-service deposit or withdrawal: the wallet's row and the shared reference."""
    return {"transaction": wallet_row, "reference": posted.entry.reference}


def balance_data(wallet: WalletBalance) -> dict[str, Any]:
    return {
        "compte_id": str(wallet.id),
        "numero_compte": wallet.number,
        "solde": wallet.balance,
        "devise": CURRENCY_LABEL,
        "date_consultation": datetime.now(UTC).isoformat(),
    }


def dashboard_data(user: User, wallet: LedgerAccount, lines: list[Line]) -> dict[str, Any]:
    return {
        "user": {
            "nom": user.last_name,
            "prenom": user.first_name,
            "telephone": local_form(user.phone),
            "email": user.email,
        },
        "compte": {
            "numero_compte": wallet.number,
            "type": "simple",
            "statut": LEGACY_ACCOUNT_STATUS.get(wallet.status, wallet.status.value),
            "solde": wallet.balance,
            "devise": CURRENCY_LABEL,
        },
        "transactions": [line_row(line) for line in lines],
    }
