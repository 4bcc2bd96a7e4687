"""Request ids, error formats (problem+json on /api/v1, legacy envelope on /api), validation."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest
from advanced_alchemy.exceptions import DuplicateKeyError
from httpx import AsyncClient
from litestar import Litestar, Router, post
from litestar.params import JSONBody

from config.settings import get_settings
from ompay.domain.errors import Conflict
from ompay.http.rate_limits import RateLimits
from ompay.schemas.fields import RequestBody
from routes.api import api_v1_router
from routes.legacy import legacy_router


class Payment(RequestBody, frozen=True):
    amount: Annotated[int, msgspec.Meta(ge=100, le=1_000_000)]
    telephone: Annotated[str, msgspec.Meta(min_length=9)]


@post("/payments", status_code=201)
async def create_payment(data: JSONBody[Payment]) -> dict[str, Any]:
    return {"amount": data.amount}


@post("/conflicts")
async def refuse() -> None:
    raise Conflict("Une opération est déjà en cours")


@post("/repository-errors")
async def leak_repository_error() -> None:
    raise DuplicateKeyError("A record matching the supplied data already exists.")


def _probe_router(real: Router) -> Router:
    """Probe routes mounted with the real router's error wiring (its exception handlers)."""
    return Router(
        path=f"{real.path}/_probe",
        route_handlers=[create_payment, refuse, leak_repository_error],
        exception_handlers=real.exception_handlers,
        opt={"exclude_from_auth": True},
        include_in_schema=False,
    )


@pytest.fixture(scope="module", autouse=True)
def probe_routes(app: Litestar) -> None:
    if not any(route.path.startswith("/api/v1/_probe") for route in app.routes):
        limits = RateLimits.build(get_settings(), app.state.platform.redis)
        app.register(_probe_router(api_v1_router(get_settings(), limits)))
        app.register(_probe_router(legacy_router(get_settings(), limits)))


async def test_a_valid_incoming_request_id_is_echoed(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-Id": "lb-7f3a.91:zz"})
    assert response.headers["x-request-id"] == "lb-7f3a.91:zz"


@pytest.mark.parametrize("incoming", ["", "bad id with spaces", "x" * 200, "<script>"])
async def test_an_invalid_request_id_is_replaced(client: AsyncClient, incoming: str) -> None:
    response = await client.get("/health/live", headers={"X-Request-Id": incoming})
    assert response.headers["x-request-id"] != incoming
    assert len(response.headers["x-request-id"]) == 36


async def test_unknown_v1_route_is_problem_json(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here", headers={"X-Request-Id": "req-404"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "NOT_FOUND"
    assert body["status"] == 404
    assert body["request_id"] == "req-404"
    assert body["title"] == "Ressource non trouvée"


async def test_unknown_legacy_route_is_the_legacy_envelope(client: AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"success": False, "message": "Ressource non trouvée", "errors": None}


async def test_wrong_method_is_405_in_each_format(client: AsyncClient) -> None:
    v1 = await client.get("/api/v1/_probe/payments")
    legacy = await client.get("/api/_probe/payments")
    assert (v1.status_code, v1.json()["code"]) == (405, "METHOD_NOT_ALLOWED")
    assert (legacy.status_code, legacy.json()["success"]) == (405, False)


async def test_v1_validation_names_each_field(client: AsyncClient) -> None:
    response = await client.post("/api/v1/_probe/payments", json={"amount": 50, "telephone": "771234567"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert body["errors"] == [{"field": "amount", "message": "Doit être supérieur ou égal à 100."}]


async def test_v1_validation_speaks_english_when_asked(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/_probe/payments",
        json={"amount": "ten", "telephone": "771234567"},
        headers={"Accept-Language": "en"},
    )
    body = response.json()
    assert body["title"] == "Invalid input data"
    assert body["errors"] == [{"field": "amount", "message": "Must be an integer."}]


async def test_a_missing_field_is_named(client: AsyncClient) -> None:
    response = await client.post("/api/v1/_probe/payments", json={"amount": 500})
    assert response.json()["errors"] == [{"field": "telephone", "message": "Ce champ est obligatoire."}]


async def test_legacy_validation_is_422_with_french_reasons_by_field(client: AsyncClient) -> None:
    response = await client.post("/api/_probe/payments", json={"amount": 100.5, "telephone": "771234567"})
    assert response.status_code == 422
    assert response.json() == {
        "success": False,
        "message": "Données de validation invalides",
        "errors": {"amount": ["Doit être de type nombre entier."]},
    }


async def test_malformed_json_is_a_4xx_naming_the_body(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/_probe/payments", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


async def test_business_errors_keep_their_code_and_message(client: AsyncClient) -> None:
    v1 = await client.post("/api/v1/_probe/conflicts")
    legacy = await client.post("/api/_probe/conflicts")
    assert (v1.status_code, v1.json()["code"], v1.json()["detail"]) == (
        409,
        "CONFLICT",
        "Une opération est déjà en cours",
    )
    assert legacy.json() == {"success": False, "message": "Une opération est déjà en cours", "errors": None}


async def test_a_repository_error_answers_in_our_contract_not_advanced_alchemys(client: AsyncClient) -> None:
    """A service lets no repository error escape; if one does, it is our 500, logged, not a stray 409."""
    v1 = await client.post("/api/v1/_probe/repository-errors")
    legacy = await client.post("/api/_probe/repository-errors")
    assert (v1.status_code, v1.headers["content-type"], v1.json()["code"]) == (
        500,
        "application/problem+json",
        "INTERNAL_ERROR",
    )
    assert (legacy.status_code, legacy.json()) == (
        500,
        {"success": False, "message": "Une erreur interne est survenue", "errors": None},
    )
