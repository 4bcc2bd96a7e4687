"""Every error, framework or business, becomes problem+json (v1) or the legacy envelope.

Routers choose the presenter (`problem_details_handler` on /api/v1, `legacy_envelope_handler`
on the legacy router); errors raised before routing (404, 405) go through
`framework_error_handler`, which picks by path prefix the same way.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers.base import BaseRouteHandler

from config.logging import get_logger
from config.settings import get_settings
from ompay.domain import errors
from ompay.http.database_errors import unavailable_error
from ompay.http.i18n import Language, preferred_language
from ompay.http.middleware.request_context import request_id_of
from ompay.http.validation import field_errors
from ompay.schemas.legacy_errors import LegacyAnswer, legacy_auth_detail

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://docs.ompay.sn/problems/"
LEGACY_PREFIX = "/api/"
V1_PREFIX = "/api/v1"

_BY_FRAMEWORK_TYPE: tuple[tuple[type[HTTPException], type[errors.DomainError]], ...] = (
    (NotFoundException, errors.NotFound),
    (MethodNotAllowedException, errors.MethodNotAllowed),
    (NotAuthorizedException, errors.AuthenticationRequired),
    (PermissionDeniedException, errors.PermissionDenied),
)

logger = get_logger(__name__)


def to_domain_error(
    exc: Exception, language: Language, handler: BaseRouteHandler | None = None
) -> errors.DomainError:
    if isinstance(exc, errors.DomainError):
        return exc
    if isinstance(exc, RequestEntityTooLarge):
        return errors.PayloadTooLarge(limit=get_settings().http.request_max_body_bytes)
    if isinstance(exc, ValidationException):
        return errors.ValidationFailed(errors=field_errors(exc, handler))
    if type(exc) is ClientException:  # Litestar's wrapper for an undecodable request body
        message = (
            "Corps de requête illisible (JSON invalide)"
            if language == "fr"
            else "Unreadable body (invalid JSON)"
        )
        return errors.ValidationFailed(errors=(errors.FieldError("body", message),))
    if isinstance(exc, UnicodeDecodeError):  # a form field that is not UTF-8 (Litestar's multipart parser)
        message = (
            "Corps de requête illisible (UTF-8 invalide)"
            if language == "fr"
            else "Unreadable body (invalid UTF-8)"
        )
        return errors.ValidationFailed(errors=(errors.FieldError("body", message),))
    if isinstance(exc, TooManyRequestsException):
        reset = (exc.headers or {}).get("RateLimit-Reset", "60")
        return errors.TooManyRequests(retry_after=max(1, int(reset)))
    for framework_type, domain_type in _BY_FRAMEWORK_TYPE:
        if isinstance(exc, framework_type):
            return domain_type()
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        return errors.DomainError()
    if (unavailable := unavailable_error(exc)) is not None:
        return unavailable
    logger.error("unhandled exception", exc_info=exc)
    return errors.InternalError()


def _headers(exc: Exception, error: errors.DomainError) -> dict[str, str]:
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return headers


def problem_body(error: errors.DomainError, language: Language, request_id: str | None) -> dict[str, Any]:
    """The RFC 9457 body of `error` (also the OpenAPI examples, so they show what is really sent)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.code.lower().replace("_", "-"),
        "title": error.message_en if language == "en" else error.message_fr,
        "status": error.status,
        "detail": error.message(language),
        "code": error.code,
        "request_id": request_id,
        **error.extensions(),
    }
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.text(language)} for e in error.errors]
    return body


def problem_details_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    language = preferred_language(request)
    error = to_domain_error(exc, language, request.scope.get("route_handler"))
    body = problem_body(error, language, request_id_of(request.scope))
    return Response(
        body, status_code=error.status, media_type=PROBLEM_MEDIA_TYPE, headers=_headers(exc, error)
    )


def legacy_body(
    error: errors.DomainError, language: Language, legacy_names: dict[str, str], message: str
) -> dict[str, Any]:
    """The Laravel envelope of `error`; `legacy_names` maps v1 field names to the contract's."""
    details: dict[str, Any] | None = None
    if error.errors:
        details = {}
        for field_error in error.errors:
            name = legacy_names.get(field_error.field, field_error.field)
            details.setdefault(name, []).append(field_error.text(language))
    elif isinstance(error, errors.AuthenticationRequired | errors.PermissionDenied):
        details = {"auth": legacy_auth_detail(error, language)}
    return {"success": False, "message": message, "errors": details}


def legacy_envelope_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    language = preferred_language(request)
    error = to_domain_error(exc, language, request.scope.get("route_handler"))
    status, message = legacy_answer(_legacy_opt(request, "legacy_errors"), error, language)
    body = legacy_body(error, language, _legacy_opt(request, "legacy_fields"), message)
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=_headers(exc, error))


def legacy_answer(
    declared: dict[str, LegacyAnswer], error: errors.DomainError, language: Language
) -> LegacyAnswer:
    """The status and message the Laravel app gave for this refusal on this route (`opt["legacy_errors"]`)."""
    status, message = declared.get(error.code, (error.status, None))
    return status, message if message and language == "fr" else error.message(language)


def _legacy_opt(request: Request[Any, Any, Any], key: str) -> dict[str, Any]:
    """Legacy controllers declare how v1 field names and refusals read in their contract (`opt`)."""
    handler = request.scope.get("route_handler")
    declared: dict[str, Any] = handler.opt.get(key, {}) if handler else {}
    return declared


def framework_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    path = request.scope["path"]
    if path.startswith(LEGACY_PREFIX) and not path.startswith(V1_PREFIX):
        return legacy_envelope_handler(request, exc)
    return problem_details_handler(request, exc)
