"""The OpenAPI document a newcomer reads at /docs: complete, and true to what the API answers."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from ompay.domain.errors import DomainError
from tests.identity import active_customer, bearer

LEGACY_TAG = "Legacy (Laravel-era)"
MONEY_POSTS = {
    "/api/v1/transfers",
    "/api/v1/payments",
    "/api/v1/payment-requests/{request_id}/approve",
    "/api/v1/cash-outs/{request_id}/approve",
    "/api/v1/agent/cash-ins",
    "/api/v1/admin/float-fundings",
    "/api/v1/admin/entries/{entry_id}/reversal",
    "/api/v1/merchant/payment-requests",
    "/api/v1/merchant/payment-requests/{request_id}/confirm",
    "/api/v1/merchant/refunds",
}
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
async def document(client: AsyncClient) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _operations(document: dict[str, Any], prefix: str = "/api/") -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        if path.startswith(prefix)
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def _all_codes() -> set[str]:
    found, pending = set(), [DomainError]
    while pending:
        error = pending.pop()
        found.add(error.code)
        pending.extend(error.__subclasses__())
    return found


def _example(operation: dict[str, Any], status: int, language: str = "fr") -> dict[str, Any]:
    content = operation["responses"][str(status)]["content"]
    media = content.get("application/problem+json") or content["application/json"]
    value: dict[str, Any] = media["examples"][language]["value"]
    return value


def _without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "request_id"}


async def test_each_route_documents_the_errors_it_can_answer(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        label = f"{method.upper()} {path}"
        responses = operation["responses"]
        has_input = bool(operation.get("requestBody")) or any(
            parameter["in"] in ("path", "query") for parameter in operation.get("parameters", [])
        )
        if operation.get("security"):
            assert "401" in responses, label
        if "{" in path:
            assert "404" in responses, label
        assert ("422" in responses) == has_input, label
        assert "429" in responses, label


async def test_probes_document_their_unavailable_answer(document: dict[str, Any]) -> None:
    for path, schema in (("/health/ready", "Readiness"), ("/health", "LegacyHealth")):
        unavailable = document["paths"][path]["get"]["responses"]["503"]
        assert unavailable["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{schema}"
        }


async def test_guarded_routes_document_403_and_open_ones_do_not_claim_401(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert "403" in paths["/api/v1/wallet"]["get"]["responses"]  # customers only
    assert "403" in paths["/api/v1/merchant/refunds"]["post"]["responses"]  # an API-key scope
    assert "401" not in paths["/api/v1/sandbox/sms"]["get"]["responses"]
    assert "401" not in paths["/api/v1/auth/register"]["post"]["responses"]
    assert "403" not in paths["/api/v1/me"]["get"]["responses"]


async def test_no_response_shape_the_api_never_sends(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            label = f"{method.upper()} {path} {status}"
            for media_type, media in (response.get("content") or {}).items():
                properties = media.get("schema", {}).get("properties", {})
                assert "status_code" not in properties, f"{label}: Litestar's default error body"
                if status.startswith(("4", "5")):
                    legacy = not path.startswith("/api/v1")
                    assert media_type == ("application/json" if legacy else "application/problem+json"), label
    assert "400" not in document["paths"]["/api/v1/me/sessions/{session_id}"]["delete"]["responses"]


async def test_problem_examples_carry_real_codes_in_both_languages(document: dict[str, Any]) -> None:
    codes = _all_codes()
    for method, path, operation in _operations(document, "/api/v1"):
        for status in operation["responses"]:
            if not status.startswith(("4", "5")):
                continue
            french, english = _example(operation, int(status), "fr"), _example(operation, int(status), "en")
            label = f"{method.upper()} {path} {status}"
            assert french["status"] == english["status"] == int(status), label
            assert french["code"] == english["code"], label
            assert french["code"] in codes, label
            assert french["title"] != english["title"], label


async def test_problem_examples_are_what_the_api_answers(
    client: AsyncClient, document: dict[str, Any]
) -> None:
    _, tokens = await active_customer(client)
    paths = document["paths"]
    unauthenticated = await client.get("/api/v1/wallet")
    assert _without_request_id(unauthenticated.json()) == _without_request_id(
        _example(paths["/api/v1/wallet"]["get"], 401)
    )
    missing = await client.get("/api/v1/wallet/transactions/OMP-20260101-AAAAAAAA", headers=bearer(tokens))
    assert _without_request_id(missing.json()) == _without_request_id(
        _example(paths["/api/v1/wallet/transactions/{key}"]["get"], 404)
    )
    english = await client.post(
        "/api/v1/transfers", json={}, headers={**bearer(tokens), "Accept-Language": "en"}
    )
    assert _without_request_id(english.json()) == _without_request_id(
        _example(paths["/api/v1/transfers"]["post"], 422, "en")
    )


async def test_legacy_routes_have_their_tag_and_envelope(
    client: AsyncClient, document: dict[str, Any]
) -> None:
    legacy = _operations(document, "/api/")
    legacy = [(method, path, op) for method, path, op in legacy if not path.startswith("/api/v1")]
    assert {path for _, path, _ in legacy} >= {
        "/api/auth/register", "/api/auth/login", "/api/ompay/balance", "/api/ompay/transfer",
        "/api/ompay/history", "/api/dashboard", "/api/paiement/marchand",
    }  # fmt: skip
    for method, path, operation in legacy:
        assert operation["tags"] == [LEGACY_TAG], f"{method} {path}"
        success = next(r for status, r in operation["responses"].items() if status.startswith("2"))
        assert success["content"]["application/json"]["schema"]["required"] == ["success", "message"]
    balance = document["paths"]["/api/ompay/balance"]["get"]
    assert balance["security"] == [{"BearerToken": []}]
    answered = await client.get("/api/ompay/balance")
    assert answered.json() == _example(balance, 401)
    assert LEGACY_TAG in {tag["name"] for tag in document["tags"]}


async def test_idempotency_headers_are_documented_on_every_money_post(document: dict[str, Any]) -> None:
    documented = set()
    for method, path, operation in _operations(document):
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "Accept-Language" in names, f"{method} {path}"
        if "Idempotency-Key" in names:
            documented.add(path)
            assert method == "post"
            success = next(r for status, r in operation["responses"].items() if status.startswith("2"))
            assert "Idempotent-Replayed" in success["headers"], path
    assert documented == MONEY_POSTS


async def test_statement_sandbox_language_and_webhook_signature_are_explained(
    document: dict[str, Any],
) -> None:
    statement = document["paths"]["/api/v1/wallet/statement"]["get"]["responses"]["200"]
    assert list(statement["content"]) == ["text/csv"]
    intro = document["info"]["description"]
    assert "Accept-Language: en" in intro
    assert "whole endpoint secret (`whsec_...`" in intro
    assert "hex digest of" in intro
    assert "<t>.<raw body>" in intro
    sandbox = next(tag for tag in document["tags"] if tag["name"] == "Sandbox")
    assert "/fund" in sandbox["description"]
    assert "/simulate" in sandbox["description"]
