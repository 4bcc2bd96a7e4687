"""No secret reaches logs or responses; the OpenAPI document describes every v1 route."""

from __future__ import annotations

import io

from httpx import AsyncClient, Response

from config.logging import configure_logging
from config.settings import LogSettings
from tests.identity import PASSWORD, bearer, latest_code, new_customer


async def test_no_otp_password_pin_or_token_appears_in_logs_or_responses(client: AsyncClient) -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(level="DEBUG", format="json"), stream=stream)
    responses: list[Response] = []
    try:
        body = new_customer()
        responses.append(await client.post("/api/v1/auth/register", json=body))
        code = await latest_code(client, body["phone"])
        verified = await client.post("/api/v1/auth/otp/verify", json={"phone": body["phone"], "code": code})
        login = await client.post("/api/v1/auth/login", json={"phone": body["phone"], "password": PASSWORD})
        tokens = login.json()
        responses.append(await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens)))
        responses.append(await client.get("/api/v1/me", headers=bearer(tokens)))
        refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        responses.append(await client.post("/api/v1/auth/logout", headers=bearer(refreshed.json())))
        await client.post(
            "/api/v1/auth/login", json={"phone": body["phone"], "password": "wrong-" + PASSWORD}
        )
    finally:
        configure_logging(LogSettings(level="WARNING"))
    logs = stream.getvalue()
    secrets = [
        PASSWORD,
        code,
        "4821",
        body["national_id"],
        body["phone"],
        *(
            pair[name]
            for pair in (verified.json(), tokens, refreshed.json())
            for name in ("access_token", "refresh_token")
        ),
    ]
    assert "request" in logs
    for secret in secrets:
        assert secret not in logs, f"{secret[:12]}... leaked into logs"
    for response in responses:
        for secret in (PASSWORD, code, "4821", body["national_id"]):
            assert secret not in response.text


async def test_every_v1_route_is_documented_with_its_security(client: AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert "BearerToken" in schema["components"]["securitySchemes"]
    public = {"/api/v1/auth/register", "/api/v1/auth/otp", "/api/v1/auth/otp/verify", "/api/v1/auth/login",
              "/api/v1/auth/refresh", "/api/v1/sandbox/sms"}  # fmt: skip
    v1 = {path: ops for path, ops in schema["paths"].items() if path.startswith("/api/v1")}
    assert {"/api/v1/me", "/api/v1/me/pin", "/api/v1/auth/logout"} <= set(v1)
    for path, operations in v1.items():
        for method, operation in operations.items():
            secured = bool(operation.get("security"))
            sandbox = path.startswith("/api/v1/sandbox/")
            assert secured == (path not in public and not sandbox), f"{method} {path}"
