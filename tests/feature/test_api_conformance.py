"""Schemathesis over every /api/v1 operation, as a customer, a merchant API key and an admin.

Each operation gets a few generated requests per credential, valid and invalid (seeded, so a run
is repeatable): none may answer 5xx, and every answer must be one the OpenAPI document describes
(status, content type, headers, body schema). Hypothesis runs in a thread and sends each request
to the app on the test's event loop (the database pool belongs to that loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, reject, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import support
from tests.identity import bearer, staff_tokens
from tests.merchant_support import funded_customer, merchant_with_key

EXAMPLES_PER_MODE = 10
LOGOUT = "/api/v1/auth/logout"  # last: it ends the callers' sessions
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


async def _sent(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """Send with the body read first, so the checks can read a multipart request back."""
    await request.aread()
    return await client.send(request)


@pytest.fixture
async def fuzzed() -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, dict[str, str]]]]:
    """The app with request limits lifted (a run makes thousands of calls), and one caller per role."""
    async with support.app_with_env(
        RATE_LIMIT_PER_MINUTE="1000000",
        USER_RATE_LIMIT_PER_MINUTE="1000000",
        AUTH_RATE_LIMIT_PER_MINUTE="1000000",
    ) as client:
        _, merchant_key, _ = await merchant_with_key(client)
        _, customer = await funded_customer(client, 1_000_000)
        _, admin = await staff_tokens(client, "admin")
        yield client, {"customer": bearer(customer), "merchant": merchant_key, "admin": bearer(admin)}


async def test_every_v1_answer_is_documented_and_none_is_a_server_error(
    fuzzed: tuple[httpx.AsyncClient, dict[str, dict[str, str]]],
) -> None:
    client, callers = fuzzed
    document = (await client.get("/schema/openapi.json")).json()
    document["paths"] = {path: item for path, item in document["paths"].items() if path.startswith("/api/v1")}
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()

    def send(case: schemathesis.Case, headers: dict[str, str]) -> httpx.Response:
        request = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
        body = request.pop("data", None)
        request.pop("cookies", None)
        if "files" in request:  # multipart: `data` holds the form's fields
            try:
                built = client.build_request(**request, data=body)
                built.read()
            except (TypeError, AttributeError):  # a "file" httpx itself cannot send (a bare number)
                reject()
        else:
            built = (
                client.build_request(**request, content=body)
                if body is not None
                else client.build_request(**request)
            )
        return asyncio.run_coroutine_threadsafe(_sent(client, built), loop).result()

    def exchanges(operation: Any, mode: schemathesis.GenerationMode, headers: dict[str, str]) -> None:
        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],  # no shrinking: the report shows the request as it was sent
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def exchange(case: schemathesis.Case) -> None:
            case.validate_response(send(case, headers), checks=CHECKS)

        exchange()

    def fuzz() -> list[str]:
        failures: list[str] = []
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in sorted(operations, key=lambda operation: operation.path == LOGOUT):
            for role, headers in callers.items():
                for mode in schemathesis.GenerationMode:
                    try:
                        exchanges(operation, mode, headers)
                    except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its findings
                        failures.append(f"{operation.label} as {role} ({mode.value}): {failure}")
        return failures

    failures = await asyncio.to_thread(fuzz)
    assert not failures, "\n\n".join(failures)
