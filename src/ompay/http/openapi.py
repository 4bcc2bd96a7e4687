"""Completes the generated OpenAPI document with what Litestar cannot infer from one handler.

One pass over every documented operation, so controllers only declare their business errors:

- error answers every route may give: 401 where credentials are required, 403 where a guard
  runs, 404 where a path key is looked up, 422 where there is input, 429 (rate limits) — each
  in the route's real format (problem+json on /api/v1, the Laravel envelope on legacy routes)
  with examples built by the same code that answers;
- Litestar's default 400 `ValidationException` body is removed: our validation errors are 422;
- `Idempotency-Key` on money-moving POSTs (the handlers that take it) and `Idempotent-Replayed`
  on their answers; `Accept-Language` on every API route.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import ParamType
from litestar.exceptions import ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Example,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
)
from litestar.routes import HTTPRoute

from config.settings import get_settings
from ompay.domain import errors
from ompay.domain.auth_errors import OtpInvalid, PinIncorrect
from ompay.domain.ledger import InsufficientFunds
from ompay.domain.merchants import InsufficientScope
from ompay.http import idempotency
from ompay.http.exceptions import (
    LEGACY_PREFIX,
    PROBLEM_MEDIA_TYPE,
    V1_PREFIX,
    legacy_answer,
    legacy_body,
    problem_body,
    to_domain_error,
)
from ompay.http.i18n import Language
from ompay.http.merchant_auth import API_KEY
from ompay.schemas.legacy_errors import LegacyAnswer
from ompay.schemas.problem import DESCRIPTIONS

EXAMPLE_REQUEST_ID = "01JDZ8Q3V6M4T7N9X2B5C8D1EF"
_LANGUAGES: tuple[Language, ...] = ("fr", "en")
_BUSINESS_REFUSAL_BY_TAG: dict[str, type[errors.DomainError]] = {"Auth": OtpInvalid, "Me": PinIncorrect}
# What the legacy routes refuse beyond auth, path keys, input and their `legacy_errors` (which
# their controllers declare only where the Laravel app's status or message differs from ours).
_LEGACY_BUSINESS_ERRORS: dict[str, tuple[int, ...]] = {
    "POST /api/auth/request-otp": (503,),
    "POST /api/auth/verify-otp": (400,),
    "POST /api/ompay/deposit": (400, 403),
    "POST /api/ompay/withdraw": (400, 403),
    "POST /api/ompay/transfer": (400,),
    "GET /api/dashboard": (404,),
    "POST /api/paiement/marchand": (400, 404),
}
_LEGACY_ENVELOPE = Schema(
    type=OpenAPIType.OBJECT,
    required=["success", "message"],
    properties={
        "success": Schema(const=True),
        "message": Schema(type=OpenAPIType.STRING, description="French message of the Laravel contract"),
        "data": Schema(description="The route's payload (omitted when there is none)"),
    },
)
_LEGACY_ERROR = Schema(
    type=OpenAPIType.OBJECT,
    required=["success", "message", "errors"],
    properties={
        "success": Schema(const=False),
        "message": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            one_of=[Schema(type=OpenAPIType.OBJECT), Schema(type=OpenAPIType.NULL)],
            description="`{field: [reasons]}` for invalid input, `{auth: reason}` for 401/403, else null",
        ),
    },
)
_PROBLEM_DETAILS = Reference(ref="#/components/schemas/ProblemDetails")
ACCEPT_LANGUAGE = Parameter(
    name="Accept-Language",
    param_in=ParamType.HEADER,
    required=False,
    description="Language of human messages: French by default, English when the first "
    "language asked for is `en…`.",
    schema=Schema(type=OpenAPIType.STRING, examples=["fr", "en"]),
)
IDEMPOTENCY_KEY = Parameter(
    name=idempotency.HEADER,
    param_in=ParamType.HEADER,
    required=False,
    description="Makes a retry safe: the same key with the same body replays the first answer "
    f"(marked `{idempotency.REPLAYED_HEADER}: true`) and never moves money twice; the same key with "
    "another body is 422 `IDEMPOTENCY_KEY_REUSED`; a twin still in flight is 409. "
    "1 to 255 visible ASCII characters, e.g. a UUID.",
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255, pattern=r"^[\x21-\x7e]{1,255}$"),
)
IDEMPOTENT_REPLAYED = OpenAPIHeader(
    description=f"`true` when this answers a retry with the same `{idempotency.HEADER}` (nothing moved)",
    schema=Schema(type=OpenAPIType.STRING, enum=["true"]),
    required=False,
)


def complete_openapi(app: Litestar) -> None:
    """Complete `app`'s OpenAPI document in place (it is built once and served from memory)."""
    openapi = app.openapi_schema
    for route in app.routes:
        path_item = (openapi.paths or {}).get(route.path_format or "/")
        # Only the API (/api/v1 and the legacy /api/...): probes and pages keep Litestar's description.
        if not isinstance(route, HTTPRoute) or path_item is None or not route.path.startswith(LEGACY_PREFIX):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                if operation := getattr(path_item, method.lower(), None):
                    _complete(openapi, f"{method} {route.path_format}", handler, operation)


def _complete(openapi: OpenAPI, label: str, handler: HTTPRouteHandler, operation: Operation) -> None:
    legacy = not label.split(" ", 1)[1].startswith(V1_PREFIX)
    # A legacy route's refusals as the Laravel app gave them; None on /api/v1.
    declared: dict[str, LegacyAnswer] | None = handler.opt.get("legacy_errors", {}) if legacy else None
    responses = operation.responses if operation.responses is not None else {}
    operation.responses = responses
    if "400" in responses and (legacy or not _is_problem(responses["400"])):
        del responses["400"]  # Litestar's ValidationException body: we answer 422
    for status in sorted(_error_statuses(label, handler, operation, declared)):
        responses[str(status)] = _error_response(openapi, operation, status, declared)
    if legacy:
        _document_legacy_success(operation)
    if "idempotency" in handler.parsed_fn_signature.parameters:
        _document_idempotency(operation)
    operation.parameters = [*(operation.parameters or []), ACCEPT_LANGUAGE]


def _error_statuses(
    label: str, handler: HTTPRouteHandler, operation: Operation, declared: dict[str, LegacyAnswer] | None
) -> set[int]:
    """What the route declares, plus what every route shares (see the module docstring)."""
    statuses = {int(code) for code in operation.responses or {} if code.startswith(("4", "5"))}
    statuses.add(429)
    if operation.security:
        statuses.add(401)
    if handler.resolve_guards():
        statuses.add(403)
    if "{" in label:
        statuses.add(404)
    if operation.parameters or operation.request_body:
        statuses.add(422)
    else:
        statuses.discard(422)
    if declared is not None:
        statuses.update(_LEGACY_BUSINESS_ERRORS.get(label, ()))
        statuses.update(status for status, _ in declared.values())
    return statuses


def _is_problem(response: OpenAPIResponse | Reference) -> bool:
    return isinstance(response, OpenAPIResponse) and PROBLEM_MEDIA_TYPE in (response.content or {})


def _error_response(
    openapi: OpenAPI, operation: Operation, status: int, declared: dict[str, LegacyAnswer] | None
) -> OpenAPIResponse:
    """The route's error format, with a French and an English example rendered by the real presenter."""
    examples: dict[str, Example | Reference] = {}
    for language in _LANGUAGES:
        error = _example_error(openapi, operation, status, language, declared or {})
        if declared is None:
            body = problem_body(error, language, EXAMPLE_REQUEST_ID)
        else:
            body = legacy_body(error, language, {}, legacy_answer(declared, error, language)[1])
        examples[language] = Example(value=body)
    media_type = PROBLEM_MEDIA_TYPE if declared is None else "application/json"
    schema = _PROBLEM_DETAILS if declared is None else _LEGACY_ERROR
    content = {media_type: OpenAPIMediaType(schema=schema, examples=examples)}
    return OpenAPIResponse(description=DESCRIPTIONS[status], content=content)


def _example_error(
    openapi: OpenAPI, operation: Operation, status: int, language: Language, declared: dict[str, LegacyAnswer]
) -> errors.DomainError:
    """A representative error this route really answers `status` with, for the example."""
    if remapped := [code for code, (answer, _) in declared.items() if answer == status]:
        return _error_class(remapped[0])()
    if status == 400:
        tag = (operation.tags or [""])[0]
        return _BUSINESS_REFUSAL_BY_TAG.get(tag, InsufficientFunds)()
    if status == 403 and any(API_KEY in requirement for requirement in operation.security or []):
        return InsufficientScope()
    if status == 422:
        return _validation_example(openapi, operation, language)
    if status == 429:
        return errors.TooManyRequests(retry_after=60)
    if status == 413:
        return errors.PayloadTooLarge(limit=get_settings().http.request_max_body_bytes)
    by_status: dict[int, type[errors.DomainError]] = {
        401: errors.AuthenticationRequired,
        403: errors.PermissionDenied,
        404: errors.NotFound,
        409: errors.Conflict,
        503: errors.ServiceUnavailable,
    }
    return by_status[status]()


def _error_class(code: str) -> type[errors.DomainError]:
    pending: list[type[errors.DomainError]] = [errors.DomainError]
    while pending:
        error = pending.pop()
        if error.code == code:
            return error
        pending.extend(error.__subclasses__())
    raise LookupError(code)


def _validation_example(openapi: OpenAPI, operation: Operation, language: Language) -> errors.DomainError:
    """The 422 the framework gives when the first required input of this route is missing."""
    field = _first_required_input(openapi, operation)
    extra = [{"message": f"Object missing required field `{field}`", "key": "data"}]
    return to_domain_error(ValidationException(extra=extra), language)


def _first_required_input(openapi: OpenAPI, operation: Operation) -> str:
    body = operation.request_body
    if body is not None and not isinstance(body, Reference):
        schema = next(iter(body.content.values())).schema
        if isinstance(schema, Reference) and openapi.components.schemas:
            schema = openapi.components.schemas.get(schema.ref.rsplit("/", 1)[-1])
        if isinstance(schema, Schema) and schema.required:  # in declaration order, as msgspec reports
            return next(name for name in schema.properties or {} if name in schema.required)
    parameters = [p for p in operation.parameters or [] if isinstance(p, Parameter)]
    required = [p.name for p in parameters if p.required] or [p.name for p in parameters] or ["body"]
    return required[0]


def _document_legacy_success(operation: Operation) -> None:
    for code, response in (operation.responses or {}).items():
        if code.startswith("2") and isinstance(response, OpenAPIResponse):
            response.content = {"application/json": OpenAPIMediaType(schema=_LEGACY_ENVELOPE)}


def _document_idempotency(operation: Operation) -> None:
    operation.parameters = [*(operation.parameters or []), IDEMPOTENCY_KEY]
    for code, response in (operation.responses or {}).items():
        if code.startswith("2") and isinstance(response, OpenAPIResponse):
            response.headers = {**(response.headers or {}), idempotency.REPLAYED_HEADER: IDEMPOTENT_REPLAYED}
