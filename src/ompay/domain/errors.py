"""Business errors with stable machine codes; the HTTP layer turns them into responses.

Messages are French by default (the customers' language) with an English variant for
`Accept-Language: en`. The HTTP status lives here so every presenter agrees on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    message_en: str | None = None

    def text(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message


class DomainError(Exception):
    """Base of every refusal a client may see. Subclasses set code, status and messages."""

    code: ClassVar[str] = "BAD_REQUEST"
    status: ClassVar[int] = 400
    message_fr: ClassVar[str] = "Requête invalide"
    message_en: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: tuple[FieldError, ...] = (),
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail or self.message_fr)
        self.detail = detail
        self.errors = errors
        self.retry_after = retry_after

    def message(self, language: str = "fr") -> str:
        if self.detail:
            return self.detail
        return self.message_en if language == "en" else self.message_fr

    def extensions(self) -> dict[str, object]:
        """Machine-readable members a v1 problem adds for this refusal (RFC 9457 extensions)."""
        return {}


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"
    status = 422
    message_fr = "Données de validation invalides"
    message_en = "Invalid input data"


class AuthenticationRequired(DomainError):
    code = "AUTHENTICATION_REQUIRED"
    status = 401
    message_fr = "Authentification requise"
    message_en = "Authentication required"


class PermissionDenied(DomainError):
    code = "FORBIDDEN"
    status = 403
    message_fr = "Accès non autorisé"
    message_en = "Access denied"


class NotFound(DomainError):
    code = "NOT_FOUND"
    status = 404
    message_fr = "Ressource non trouvée"
    message_en = "Resource not found"


class MethodNotAllowed(DomainError):
    code = "METHOD_NOT_ALLOWED"
    status = 405
    message_fr = "Méthode non autorisée"
    message_en = "Method not allowed"


class Conflict(DomainError):
    code = "CONFLICT"
    status = 409
    message_fr = "Conflit avec l'état actuel de la ressource"
    message_en = "Conflict with the current state of the resource"


class PayloadTooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"
    status = 413
    message_fr = "Corps de requête trop volumineux"
    message_en = "Request body too large"

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def message(self, language: str = "fr") -> str:
        if language == "en":
            return f"{self.message_en} (at most {self.limit} bytes)"
        return f"{self.message_fr} ({self.limit} octets au plus)"


class TooManyRequests(DomainError):
    code = "RATE_LIMITED"
    status = 429
    message_fr = "Trop de requêtes. Veuillez réessayer plus tard."
    message_en = "Too many requests. Please try again later."


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"
    status = 503
    message_fr = "Service momentanément indisponible"
    message_en = "Service temporarily unavailable"


class InternalError(DomainError):
    code = "INTERNAL_ERROR"
    status = 500
    message_fr = "Une erreur interne est survenue"
    message_en = "An internal error occurred"


def invalid_field(field: str, message_fr: str, message_en: str | None = None) -> ValidationFailed:
    """A 422 naming one field, for rules the request schema cannot express."""
    return ValidationFailed(errors=(FieldError(field, message_fr, message_en),))
