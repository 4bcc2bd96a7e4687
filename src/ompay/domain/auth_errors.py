"""Refusals of the identity and access rules."""

from __future__ import annotations

from ompay.domain.errors import DomainError


class InvalidCredentials(DomainError):
    code = "INVALID_CREDENTIALS"
    status = 401
    message_fr = "Téléphone ou mot de passe incorrect"
    message_en = "Wrong phone number or password"


class AccountLocked(DomainError):
    code = "ACCOUNT_LOCKED"
    status = 429
    message_fr = "Compte verrouillé. Réessayez plus tard."
    message_en = "Account locked. Try again later."

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)

    def message(self, language: str = "fr") -> str:
        if language == "en":
            return f"Account locked. Try again in {self.retry_after} seconds."
        return f"Compte verrouillé. Réessayez dans {self.retry_after} secondes."


class AccountNotActive(DomainError):
    code = "ACCOUNT_NOT_ACTIVE"
    status = 403
    message_fr = "Ce compte n'est pas actif"
    message_en = "This account is not active"


class OtpInvalid(DomainError):
    code = "OTP_INVALID"
    status = 400
    message_fr = "Code OTP invalide ou expiré."
    message_en = "Invalid or expired OTP code."


class OtpExpired(OtpInvalid):
    code = "OTP_EXPIRED"


class OtpSendLimit(DomainError):
    code = "OTP_SEND_LIMIT"
    status = 429
    message_fr = "Trop de tentatives. Veuillez réessayer dans une heure."
    message_en = "Too many attempts. Please try again in an hour."


class TokenInvalid(DomainError):
    code = "TOKEN_INVALID"
    status = 401
    message_fr = "Jeton invalide ou expiré"
    message_en = "Invalid or expired token"


class PinNotSet(DomainError):
    code = "PIN_NOT_SET"
    status = 409
    message_fr = "Aucun code PIN n'est défini pour ce compte"
    message_en = "No PIN is set for this account"


class PinAlreadySet(DomainError):
    code = "PIN_ALREADY_SET"
    status = 409
    message_fr = "Un code PIN est déjà défini; utilisez la modification ou la réinitialisation"
    message_en = "A PIN is already set; change or reset it instead"


class PinIncorrect(DomainError):
    code = "PIN_INCORRECT"
    status = 400
    message_fr = "Code PIN incorrect"
    message_en = "Incorrect PIN"


class PinLocked(DomainError):
    code = "PIN_LOCKED"
    status = 429
    message_fr = "Code PIN bloqué après trop d'essais. Réessayez plus tard."
    message_en = "PIN locked after too many attempts. Try again later."

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
