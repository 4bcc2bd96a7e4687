"""No input, however hostile, gets a 5xx, and a server error logs no data; all through HTTP."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from httpx import AsyncClient
from litestar import Litestar
from litestar.routes import HTTPRoute
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import configure_logging
from config.settings import LogSettings, get_settings
from tests.identity import active_customer, bearer
from tests.merchant_support import merchant_with_key
from tests.money_support import customer_funded_by_agent, transfer_body

PROBLEM_JSON = "application/problem+json"
SAMPLE_PATH_VALUES = {"uuid": "6b1f2c4e-0d7a-4d3b-9f5e-2a8c1e7b9d40", "str": "x", "int": "1"}


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(LogSettings(level="INFO", format="json"), stream=stream)
    try:
        yield stream
    finally:
        configure_logging(LogSettings(level="WARNING"))


def _deeply_nested(depth: int = 100_000) -> bytes:
    return b'{"phone": ' + b"[" * depth + b"]" * depth + b', "password": "x"}'


async def test_deeply_nested_json_is_a_422_naming_the_body(client: AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    v1 = await client.post("/api/v1/auth/login", content=_deeply_nested(), headers=headers)
    legacy = await client.post("/api/auth/login", content=_deeply_nested(), headers=headers)
    assert (v1.status_code, v1.json()["errors"][0]["field"]) == (422, "body")
    assert (legacy.status_code, list(legacy.json()["errors"])) == (422, ["body"])


async def test_profile_and_dashboard_of_a_merchant_owner_show_the_customer_wallet(
    client: AsyncClient,
) -> None:
    _, _, owner = await merchant_with_key(client)
    wallet = (await client.get("/api/v1/wallet", headers=bearer(owner))).json()
    me = await client.get("/api/v1/me", headers=bearer(owner))
    dashboard = await client.get("/api/dashboard", headers=bearer(owner))
    assert me.status_code == 200, me.text
    assert me.json()["wallet"]["number"] == wallet["number"]
    assert dashboard.status_code == 200, dashboard.text
    assert dashboard.json()["data"]["compte"]["numero_compte"] == wallet["number"]


async def _fee_tiers_up_to(session: AsyncSession, kind: str, up_to: int) -> None:
    """A schedule whose last tier is bounded: amounts above `up_to` have no fee (a gap)."""
    await session.execute(
        text(
            "INSERT INTO fee_schedules (id, entry_kind, percent_bps, fixed, minimum, tiers, effective_from)"
            " VALUES (gen_random_uuid(), :kind, 0, 0, 0, CAST(:tiers AS jsonb), now() - interval '1 minute')"
        ),
        {"kind": kind, "tiers": json.dumps({"tiers": [{"up_to": up_to, "fee": 50}]})},
    )
    await session.commit()


async def test_an_amount_the_fee_schedule_does_not_cover_is_refused_and_logged(
    client: AsyncClient, session: AsyncSession
) -> None:
    await _fee_tiers_up_to(session, "p2p_transfer", 5_000)
    _, sender = await customer_funded_by_agent(client, 20_000)
    recipient, _ = await active_customer(client)
    with captured_logs() as logs:
        covered = await client.post(
            "/api/v1/transfers", json=transfer_body(recipient["phone"], 5_000), headers=bearer(sender)
        )
        quote = await client.post(
            "/api/v1/quotes", json={"kind": "p2p_transfer", "amount": 10_000}, headers=bearer(sender)
        )
        transfer = await client.post(
            "/api/v1/transfers", json=transfer_body(recipient["phone"], 10_000), headers=bearer(sender)
        )
    assert (covered.status_code, covered.json()["fee"]) == (201, 50)
    for refused in (quote, transfer):
        assert refused.status_code == 422, refused.text
        assert (refused.json()["code"], refused.json()["errors"][0]["field"]) == ("FEE_NOT_DEFINED", "amount")
    gaps = [json.loads(line) for line in logs.getvalue().splitlines() if "fee schedule" in line]
    assert [(line["level"], line["entry_kind"], line["amount"]) for line in gaps] == [
        ("error", "p2p_transfer", 10_000),
        ("error", "p2p_transfer", 10_000),
    ]
    balance = (await client.get("/api/v1/wallet", headers=bearer(sender))).json()["balance"]
    assert balance == 20_000 - 5_050


def _sample_path(route: HTTPRoute) -> str:
    return re.sub(r"\{(\w+):(\w+)\}", lambda match: SAMPLE_PATH_VALUES.get(match.group(2), "x"), route.path)


async def test_options_without_credentials_on_every_route_is_never_a_5xx(
    app: Litestar, client: AsyncClient
) -> None:
    paths = sorted({_sample_path(route) for route in app.routes if isinstance(route, HTTPRoute)})
    assert len(paths) > 60
    answers = {path: (await client.options(path)).status_code for path in paths}
    assert {path: status for path, status in answers.items() if status >= 500} == {}
    assert answers["/api/v1/wallet"] == 204


async def test_an_amount_filter_above_int64_is_a_422_naming_the_parameter(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    for name in ("min_amount", "max_amount"):
        response = await client.get(
            "/api/v1/wallet/transactions", params={name: "99999999999999999999"}, headers=bearer(tokens)
        )
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [name]


async def test_a_date_filter_beyond_utc_is_a_422_naming_the_parameter(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    cases = [
        ("/api/v1/wallet/transactions", {"from": "0001-01-01T01:00:00+01:45"}, "from"),
        ("/api/v1/wallet/transactions", {"to": "9999-12-31T23:59:59-14:00"}, "to"),
        (
            "/api/v1/wallet/statement",
            {"from": "0001-01-01T01:00:00+01:45", "to": "2026-01-01T00:00:00Z"},
            "from",
        ),
    ]
    for path, params, name in cases:
        response = await client.get(path, params=params, headers=bearer(tokens))
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [name]


async def test_a_history_page_past_any_offset_is_a_422_naming_it(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    response = await client.get(
        "/api/ompay/history", params={"page": "99999999999999999999"}, headers=bearer(tokens)
    )
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == ["page"]


async def test_an_oversized_body_is_413_in_each_error_format(client: AsyncClient) -> None:
    limit = get_settings().http.request_max_body_bytes
    oversized = b'{"phone": "' + b"7" * limit + b'"}'
    headers = {"Content-Type": "application/json"}
    v1 = await client.post("/api/v1/auth/login", content=oversized, headers=headers)
    legacy = await client.post("/api/auth/login", content=oversized, headers=headers)
    assert (v1.status_code, v1.headers["content-type"], v1.json()["code"]) == (
        413,
        PROBLEM_JSON,
        "PAYLOAD_TOO_LARGE",
    )
    assert str(limit) in v1.json()["detail"]
    assert legacy.status_code == 413
    assert legacy.json() == {"success": False, "message": v1.json()["detail"], "errors": None}


async def test_a_database_error_is_logged_without_its_sql_parameters(
    client: AsyncClient, session: AsyncSession
) -> None:
    """A trigger makes Postgres refuse the movement: the log names the failure, not the values."""
    _, sender = await customer_funded_by_agent(client, 20_000)
    recipient, _ = await active_customer(client)
    await session.execute(
        text(
            "CREATE FUNCTION refuse_entries() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'forced failure' USING DETAIL = 'row ' || NEW::text; END $$"
        )
    )
    await session.execute(
        text(
            "CREATE TRIGGER refuse_entries BEFORE INSERT ON journal_entries"
            " FOR EACH ROW EXECUTE FUNCTION refuse_entries()"
        )
    )
    await session.commit()
    secret = "Loyer de Mame Diarra, chambre 12"
    try:
        with captured_logs() as logs:
            response = await client.post(
                "/api/v1/transfers",
                json={**transfer_body(recipient["phone"], 5_000), "description": secret},
                headers=bearer(sender),
            )
    finally:
        await session.execute(text("DROP TRIGGER refuse_entries ON journal_entries"))
        await session.execute(text("DROP FUNCTION refuse_entries()"))
        await session.commit()
    assert response.status_code == 500
    written = logs.getvalue()
    assert "forced failure" in written
    assert "ledger_post_entry" in written  # the statement that failed, without its parameters
    assert secret not in written
    assert "OMP-" not in written
