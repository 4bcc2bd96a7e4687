"""Transaction monitoring end to end: each entry judged by a real `compliance` worker, decisions
recorded and replayable, alerts filed in cases that officers work to a decision."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from tests import support
from tests.identity import active_customer, bearer, staff_tokens
from tests.merchant_support import funded_customer
from tests.money_support import transfer_body, wallet_balance

RULES = "/api/v1/admin/monitoring/rules"
CASES = "/api/v1/admin/cases"


async def fund(client: AsyncClient, phone: str, *amounts: int) -> None:
    """Under 500 000 each, so that TM-10 (night) cannot fire whatever the hour the suite runs at."""
    for amount in amounts:
        funded = await client.post(f"/api/v1/sandbox/wallets/{phone}/fund", json={"amount": amount})
        assert funded.status_code == 201, funded.text
    await support.run_worker_burst("compliance")


async def officer(client: AsyncClient) -> tuple[str, dict[str, str]]:
    officer_id, tokens = await staff_tokens(client, "compliance_officer")
    return officer_id, bearer(tokens)


async def decisions_of(phone: str) -> list[dict[str, Any]]:
    rows = await support.query_value(
        "SELECT coalesce(json_agg(json_build_object('id', d.id, 'outcome', d.outcome, 'score', d.score) "
        "ORDER BY d.as_of), '[]') FROM monitoring_decisions d JOIN users u ON u.person_id = d.person_id "
        f"WHERE u.phone = '+221{phone[-9:]}'"
    )
    return list(json.loads(rows))


async def test_each_entry_is_judged_and_a_new_account_taking_a_million_opens_a_case(
    client: AsyncClient,
) -> None:
    fresh, _ = await active_customer(client)
    near_miss, _ = await active_customer(client)
    await fund(client, fresh["phone"], 400_000, 300_000, 300_000)  # TM-11: under 30 days, 1 000 000 credited
    await fund(client, near_miss["phone"], 400_000, 300_000, 299_999)
    *_, fired = await decisions_of(fresh["phone"])
    *_, approved = await decisions_of(near_miss["phone"])
    assert (fired["outcome"], approved["outcome"]) == ("review", "approve")
    _, headers = await officer(client)
    cases = (await client.get(CASES, headers=headers)).json()["data"]
    assert len(cases) == 1
    case = (await client.get(f"{CASES}/{cases[0]['id']}", headers=headers)).json()
    assert [alert["rules"] for alert in case["alerts"]] == [["TM-11"]]
    replay = (
        await client.get(f"/api/v1/admin/monitoring/decisions/{fired['id']}/replay", headers=headers)
    ).json()
    assert (replay["reproduced"], replay["outcome"], replay["score"]) == (True, "review", fired["score"])
    tm11 = next(r for r in replay["decision"]["results"] if r["rule_id"] == "TM-11")
    assert tm11["figures"]["credits_30d"] == 1_000_000
    await support.execute_sql("UPDATE compliance_cases SET due_at = now() - interval '1 minute'")
    metrics = (await client.get("/metrics")).text
    assert "ompay_compliance_cases_overdue 1.0" in metrics
    assert 'ompay_monitoring_alerts_total{rule="TM-11"}' in metrics


async def test_officers_work_a_case_to_an_str_and_no_one_else_may(client: AsyncClient) -> None:
    customer, tokens = await active_customer(client)
    await fund(client, customer["phone"], 400_000, 400_000, 400_000)
    officer_id, headers = await officer(client)
    [case] = (await client.get(CASES, headers=headers)).json()["data"]
    support_headers = bearer((await staff_tokens(client, "support"))[1])
    for outsider in (support_headers, bearer(tokens)):
        assert (await client.get(CASES, headers=outsider)).status_code in (403, 404)
        refused = await client.post(f"{CASES}/{case['id']}/notes", json={"body": "x"}, headers=outsider)
        assert refused.status_code in (403, 404)
    assigned = await client.post(
        f"{CASES}/{case['id']}/assign", json={"officer_id": officer_id}, headers=headers
    )
    assert assigned.json()["assigned_to"] == officer_id
    not_officer = await client.post(
        f"{CASES}/{case['id']}/assign",
        json={"officer_id": (await staff_tokens(client, "support"))[0]},
        headers=headers,
    )
    assert (not_officer.status_code, not_officer.json()["errors"][0]["field"]) == (422, "officer_id")
    noted = await client.post(
        f"{CASES}/{case['id']}/notes", json={"body": "Source des fonds ?"}, headers=headers
    )
    assert noted.status_code == 201, noted.text
    filed = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "file_str", "grounds": "Dépôts sans justification"},
        headers=headers,
    )
    report = filed.json()["str_report"]
    assert (filed.json()["status"], report["rules"], len(report["entry_ids"])) == ("closed", ["TM-11"], 1)
    again = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "dismiss", "grounds": "x"}, headers=headers
    )
    assert again.status_code == 409
    notes = (await client.get(f"{CASES}/{case['id']}", headers=headers)).json()["notes"]
    assert [note["body"] for note in notes] == ["Source des fonds ?", "Dépôts sans justification"]
    seen_by_customer = (await client.get("/api/v1/me", headers=bearer(tokens))).text.lower()
    assert not any(word in seen_by_customer for word in ("alert", "case", "str"))


async def test_a_new_rule_version_judges_what_comes_after_and_old_decisions_still_replay(
    client: AsyncClient,
) -> None:
    before, _ = await active_customer(client)
    await fund(client, before["phone"], 400_000, 400_000, 400_000)
    _, headers = await officer(client)
    tm11 = next(r for r in (await client.get(RULES, headers=headers)).json() if r["rule_id"] == "TM-11")
    bad = await client.post(
        RULES,
        json={"rule_id": "TM-11", "params": {"age_days": 30}, "score": 50, "outcome": "review"},
        headers=headers,
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "params")
    raised = {**tm11["params"], "credits": 2_000_000}
    added = await client.post(
        RULES, json={"rule_id": "TM-11", "params": raised, "score": 50, "outcome": "review"}, headers=headers
    )
    assert added.json()["version"] == 2, added.text
    after, _ = await active_customer(client)
    await fund(client, after["phone"], 400_000, 400_000, 400_000)
    *_, old = await decisions_of(before["phone"])
    *_, new = await decisions_of(after["phone"])
    assert (old["outcome"], new["outcome"]) == ("review", "approve")
    replay = (
        await client.get(f"/api/v1/admin/monitoring/decisions/{old['id']}/replay", headers=headers)
    ).json()
    assert replay["reproduced"] is True
    assert (
        await support.query_value(
            "SELECT count(*) FROM audit_events WHERE action = 'monitoring.rule_versioned'"
        )
        == 1
    )


async def test_the_daily_batch_judges_everyone_active_and_a_decision_cannot_be_rewritten(
    client: AsyncClient,
) -> None:
    customer, _ = await active_customer(client)
    await fund(client, customer["phone"], 10_000)
    await support.enqueue_and_run("compliance", "evaluate_windowed_rules")
    triggers = await support.query_value(
        "SELECT array_agg(trigger ORDER BY trigger) FROM monitoring_decisions"
    )
    assert triggers == ["daily", "entry"]
    with pytest.raises(Exception, match="append-only"):
        await support.execute_sql("UPDATE monitoring_decisions SET outcome = 'approve'")


async def velocity_version(client: AsyncClient, headers: dict[str, str], *, inline_block: bool) -> None:
    params = {"per_hour": 2, "per_day": 50, "amount_per_hour": 1_000_000, "inline_block": inline_block}
    added = await client.post(
        RULES, json={"rule_id": "TM-04", "params": params, "score": 40, "outcome": "review"}, headers=headers
    )
    assert added.status_code == 201, added.text


async def transfers(client: AsyncClient, sender: dict[str, Any], recipient: str, count: int) -> list[int]:
    return [
        (
            await client.post(
                "/api/v1/transfers", json=transfer_body(recipient, 1_000), headers=bearer(sender)
            )
        ).status_code
        for _ in range(count)
    ]


async def test_a_burst_of_payments_counted_inline_raises_an_alert_without_blocking(
    client: AsyncClient,
) -> None:
    _, headers = await officer(client)
    await velocity_version(client, headers, inline_block=False)
    _, sender = await funded_customer(client, 20_000)
    recipient, _ = await active_customer(client)
    assert await transfers(client, sender, recipient["phone"], 4) == [201, 201, 201, 201]
    await support.run_worker_burst("compliance")
    inline = await support.query_value(
        "SELECT array_agg(outcome) FROM monitoring_decisions WHERE trigger = 'inline'"
    )
    assert inline == ["review"]  # one alert per hour, however long the burst
    [case] = (await client.get(CASES, headers=headers)).json()["data"]
    alerts = (await client.get(f"{CASES}/{case['id']}", headers=headers)).json()["alerts"]
    assert ["TM-04"] in [alert["rules"] for alert in alerts]


async def test_a_rule_version_that_says_so_refuses_the_burst_like_any_rate_limit(client: AsyncClient) -> None:
    _, headers = await officer(client)
    await velocity_version(client, headers, inline_block=True)
    _, sender = await funded_customer(client, 20_000)
    recipient, _ = await active_customer(client)
    assert await transfers(client, sender, recipient["phone"], 3) == [201, 201, 201]
    balance = await wallet_balance(client, sender)
    refused = await client.post(
        "/api/v1/transfers", json=transfer_body(recipient["phone"], 1_000), headers=bearer(sender)
    )
    assert (refused.status_code, "Retry-After" in refused.headers) == (429, True)
    assert not any(word in refused.text.lower() for word in ("velocity", "monitoring", "alert", "tm-04"))
    assert await wallet_balance(client, sender) == balance
