"""SMS texts, in French (the customers' language). Never log their content."""

from __future__ import annotations

from ompay.domain.amounts import grouped
from ompay.models.enums import OtpPurpose

_OTP_TEXTS = {
    OtpPurpose.ACTIVATION: "OMPAY : votre code d'activation est {code}. Il expire dans {minutes} minutes.",
    OtpPurpose.LOGIN: "OMPAY : votre code de connexion est {code}. Il expire dans {minutes} minutes.",
    OtpPurpose.PIN_RESET: (
        "OMPAY : votre code de réinitialisation du PIN est {code}. Il expire dans {minutes} minutes."
    ),
}
_WARNING = " Ne le communiquez à personne, même pas à un agent OMPAY."


def otp_text(purpose: OtpPurpose, code: str, ttl_seconds: int) -> str:
    return _OTP_TEXTS[purpose].format(code=code, minutes=ttl_seconds // 60) + _WARNING


def francs(amount: int) -> str:
    """`5 000 F`, as receipts in Senegal write amounts."""
    return grouped(amount) + " F"


def payment_confirmation_text(amount: int, trade_name: str) -> str:
    """The till OTP text; `{code}` is filled in by the OTP service."""
    return f"OMPAY : Payer {francs(amount)} à {trade_name} ? Code {{code}}. Ne le donnez qu'au marchand."


def refund_text(amount: int, trade_name: str, reference: str) -> str:
    return f"OMPAY : {trade_name} vous a remboursé {francs(amount)} (réf. {reference})."
