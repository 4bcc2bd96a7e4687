"""Sanctions and PEP screening over HTTP: at registration, on payees, after a list import;
hits decided by officers, freezes without tipping off, and every query replayable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from httpx import AsyncClient, Response
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.services.compliance.screening import LISTS_IN_FORCE, NO_LISTS
from tests import support
from tests.identity import active_customer, bearer, register, staff_tokens
from tests.merchant_support import PIN, funded_customer, merchant_with_key
from tests.money_support import transfer_body, wallet_balance

FIXTURES = Path(__file__).parent.parent / "fixtures" / "screening"
HITS = "/api/v1/admin/screening/hits"
LISTED_UN_NAME = {"first_name": "Mohamed", "last_name": "Ould Sidi"}  # UN QDi.999, "MOUHAMED OULD SIDI"
SANCTIONED_ID = "1988090900123"  # WL-1 of the national CSV list, imported as a sanctions list
_PER_RESPONSE = ("instance", "request_id", "trace_id")


async def import_list(
    session: AsyncSession, name: str, list_format: str, file: str, topic: str | None
) -> None:
    from ompay.domain.actors import Actor
    from ompay.domain.screening_lists import ListFormat

    async with support.services_over(session) as services:
        await services.screening_list_service.import_list(
            name, ListFormat(list_format), (FIXTURES / file).read_bytes(), Actor.system("test"), topic
        )


async def with_lists(session: AsyncSession) -> None:
    await import_list(session, "un", "un-xml", "un_consolidated.xml", None)
    await import_list(session, "national", "csv", "watchlist.csv", "sanction")
    await support.run_worker_burst("compliance")  # the re-screening each import enqueues


def generic(response: Response) -> dict[str, Any]:
    """A refusal as the customer sees it, without what differs on every response."""
    return {key: value for key, value in response.json().items() if key not in _PER_RESPONSE}


async def officer(client: AsyncClient) -> dict[str, str]:
    return bearer((await staff_tokens(client, "compliance_officer"))[1])


async def only_open_hit(client: AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    page = await client.get(HITS, headers=headers)
    assert page.status_code == 200, page.text
    [hit] = page.json()["data"]
    return hit


async def test_a_payee_with_an_open_hit_is_refused_like_an_inactive_one_until_dismissed(
    client: AsyncClient, session: AsyncSession
) -> None:
    await with_lists(session)
    _, sender = await funded_customer(client, 50_000)
    listed, _ = await active_customer(client, **LISTED_UN_NAME)
    pending, _ = await register(client)
    to_listed = await client.post(
        "/api/v1/transfers", json=transfer_body(listed["phone"], 1_000), headers=bearer(sender)
    )
    to_pending = await client.post(
        "/api/v1/transfers", json=transfer_body(pending["phone"], 1_000), headers=bearer(sender)
    )
    assert to_listed.status_code == to_pending.status_code == 400
    assert generic(to_listed) == generic(to_pending)
    headers = await officer(client)
    hit = await only_open_hit(client, headers)
    assert (hit["list_name"], hit["reference"], hit["exact_id"]) == ("un", "QDi.999", False)
    dismissed = await client.post(
        f"{HITS}/{hit['id']}/decision",
        json={"decision": "dismiss", "note": "Homonyme, né en 1990"},
        headers=headers,
    )
    assert dismissed.json()["status"] == "dismissed"
    paid = await client.post(
        "/api/v1/transfers", json=transfer_body(listed["phone"], 1_000), headers=bearer(sender)
    )
    assert paid.status_code == 201, paid.text
    again = await client.post(
        f"{HITS}/{hit['id']}/decision", json={"decision": "confirm", "note": "x"}, headers=headers
    )
    assert again.status_code == 409


async def test_with_no_list_loaded_payees_pass_and_the_first_import_applies_at_once(
    client: AsyncClient, session: AsyncSession, redis: Redis
) -> None:
    _, sender = await funded_customer(client, 50_000)
    listed, _ = await active_customer(client, **LISTED_UN_NAME)
    before = await client.post(
        "/api/v1/transfers", json=transfer_body(listed["phone"], 1_000), headers=bearer(sender)
    )
    assert before.status_code == 201, before.text
    assert await redis.get(LISTS_IN_FORCE) == NO_LISTS.encode()  # the next payment asks no database
    await import_list(session, "un", "un-xml", "un_consolidated.xml", None)
    after = await client.post(
        "/api/v1/transfers", json=transfer_body(listed["phone"], 1_000), headers=bearer(sender)
    )
    assert after.status_code == 400
    assert after.json()["code"] == "RECIPIENT_INACTIVE"


async def test_an_exact_sanctions_id_freezes_at_registration_and_activation_does_not_thaw_it(
    client: AsyncClient, session: AsyncSession
) -> None:
    await with_lists(session)
    _, tokens = await active_customer(client, national_id=SANCTIONED_ID, first_name="Fatou")
    assert await support.query_value(
        "SELECT array_agg(DISTINCT status) FROM ledger_accounts WHERE person_id = "
        f"(SELECT person_id FROM users WHERE national_id = '{SANCTIONED_ID}')"
    ) == ["frozen"]
    _, _recipient = await active_customer(client)
    await client.post("/api/v1/me/pin", json={"pin": PIN}, headers=bearer(tokens))
    own = await client.post("/api/v1/transfers", json=transfer_body("771110000", 100), headers=bearer(tokens))
    assert (own.status_code, own.json()["code"]) == (400, "ACCOUNT_INACTIVE")
    for path in ("/api/v1/me", "/api/v1/wallet"):
        seen = (await client.get(path, headers=bearer(tokens))).text.lower()
        assert not any(word in seen for word in ("sanction", "screening", "alert", "hit", "gel"))
    assert await support.query_value("SELECT count(*) FROM screening_hits WHERE exact_id") == 1


async def test_a_confirmed_hit_freezes_at_once_and_only_an_officer_lifts_it(
    client: AsyncClient, session: AsyncSession
) -> None:
    await with_lists(session)
    listed, tokens = await funded_customer(client, 20_000)
    recipient, _ = await active_customer(client)
    person = await support.query_value(f"SELECT person_id::text FROM users WHERE phone = '{listed['e164']}'")
    await support.execute_sql(
        f"UPDATE users SET first_name = 'Mouhamed', last_name = 'Ould Sidi' WHERE person_id = '{person}'"
    )
    await with_rescreening(session)
    headers = await officer(client)
    hit = await only_open_hit(client, headers)
    confirmed = await client.post(
        f"{HITS}/{hit['id']}/decision",
        json={"decision": "confirm", "note": "Même passeport"},
        headers=headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    refused = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=bearer(tokens)
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "ACCOUNT_INACTIVE")
    support_staff = bearer((await staff_tokens(client, "support"))[1])
    for who in (support_staff, bearer(tokens)):
        denied = await client.post(
            f"/api/v1/admin/persons/{person}/unfreeze", json={"note": "x"}, headers=who
        )
        assert denied.status_code in (403, 404)
    lifted = await client.post(
        f"/api/v1/admin/persons/{person}/unfreeze", json={"note": "Levée CENTIF"}, headers=headers
    )
    assert lifted.json()["lifted_at"] is not None
    paid = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=bearer(tokens)
    )
    assert paid.status_code == 201, paid.text
    assert await wallet_balance(client, tokens) < 20_000
    actions = await support.query_value(
        "SELECT array_agg(action ORDER BY id) FROM audit_events WHERE action LIKE 'compliance.%'"
    )
    assert actions == ["compliance.frozen", "compliance.unfrozen"]


async def with_rescreening(session: AsyncSession) -> None:
    await import_list(session, "internal", "csv", "watchlist.csv", "poi")
    await support.run_worker_burst("compliance")


async def test_a_list_import_rescreens_everyone_and_each_query_replays_to_its_outcome(
    client: AsyncClient, session: AsyncSession
) -> None:
    _listed, _ = await active_customer(client, **LISTED_UN_NAME)
    await active_customer(client)
    assert await support.query_value("SELECT count(*) FROM screening_queries") == 0
    await with_lists(session)
    counts = await support.query_value(
        "SELECT array_agg(outcome ORDER BY outcome) FROM screening_queries WHERE trigger = 'list_update' "
        "AND list_version_ids = (SELECT array_agg(id ORDER BY list_name) FROM screening_list_versions)"
    )
    assert counts == ["clear", "potential_hit"]
    headers = await officer(client)
    hit = await only_open_hit(client, headers)
    replay = await client.get(f"/api/v1/admin/screening/queries/{hit['query_id']}/replay", headers=headers)
    assert replay.status_code == 200, replay.text
    assert replay.json()["reproduced"] is True
    assert replay.json()["outcome"] == "potential_hit"
    assert replay.json()["candidates"][0]["reference"] == "QDi.999"
    _, api_key, merchant_owner = await merchant_with_key(client)
    outsiders = [
        bearer((await staff_tokens(client, "support"))[1]),
        bearer((await active_customer(client))[1]),
        bearer(merchant_owner),
        api_key,
    ]
    for who in outsiders:
        for path in (HITS, "/api/v1/admin/cases", "/api/v1/admin/monitoring/rules"):
            assert (await client.get(path, headers=who)).status_code in (401, 403, 404)
