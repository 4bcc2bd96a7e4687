"""How the Laravel app answered refusals, where it differs from our domain errors (LEGACY_API.md).

Legacy controllers declare, per route, `opt={"legacy_errors": {error code: (status, message)}}`;
the legacy envelope presenter answers with that status and, in French, that message. Only the
differences are listed: any other refusal keeps its domain status and message.
"""

from __future__ import annotations

from ompay.domain.errors import AuthenticationRequired, PermissionDenied

LegacyAnswer = tuple[int, str]

# Every /api/auth/* route sat behind an OTP throttle per IP with its own message.
SIGN_IN_ERRORS: dict[str, LegacyAnswer] = {
    "RATE_LIMITED": (429, "Trop de tentatives OTP. Veuillez réessayer dans une minute."),
}
LOGIN_ERRORS = {
    **SIGN_IN_ERRORS,
    "INVALID_CREDENTIALS": (401, "Identifiants invalides."),
    "ACCOUNT_NOT_ACTIVE": (401, "Compte non activé. Veuillez vérifier votre numéro de téléphone."),
}
REFRESH_ERRORS = {**SIGN_IN_ERRORS, "TOKEN_INVALID": (400, "Refresh token invalide ou expiré.")}
TRANSFER_ERRORS: dict[str, LegacyAnswer] = {
    "RECIPIENT_NOT_FOUND": (404, "Utilisateur destinataire introuvable"),
    "RECIPIENT_INACTIVE": (400, "Le compte destinataire n'est pas actif"),
}
ACCOUNT_ERRORS: dict[str, LegacyAnswer] = {"NOT_FOUND": (404, "Compte non trouvé ou accès non autorisé.")}

_UNAUTHENTICATED = (
    "Token d'authentification manquant ou invalide",
    "Missing or invalid authentication token",
)
_FORBIDDEN = ("Vous n'avez pas les permissions nécessaires", "You do not have the required permissions")


def legacy_auth_detail(error: AuthenticationRequired | PermissionDenied, language: str) -> str:
    """`errors.auth` of a 401 or 403 for a missing, bad or insufficient token."""
    french, english = _UNAUTHENTICATED if isinstance(error, AuthenticationRequired) else _FORBIDDEN
    return english if language == "en" else french
