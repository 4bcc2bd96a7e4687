"""Exports through the API: officers run, list and download them (audited); merchants read only
their own settlement reports; customers, support staff and other shops are refused."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.exports import ExportType, day
from ompay.services.exports.requests import ExportOrder
from tests import support
from tests.exports import world
from tests.exports.test_golden import GOLDEN, generate
from tests.identity import active_customer, bearer, staff_tokens
from tests.merchant_support import merchant_with_key

EXPORTS = "/api/v1/admin/exports"
REPORTS = "/api/v1/merchant/settlement-reports"


async def officer(client: AsyncClient) -> dict[str, str]:
    _, tokens = await staff_tokens(client, "compliance_officer")
    return bearer(tokens)


async def audited(action: str, export_id: str) -> int:
    return int(
        await support.query_value(
            "SELECT count(*) FROM audit_events WHERE action = $1 AND target_id = $2", action, export_id
        )
    )


async def test_an_officer_runs_the_journal_on_demand_and_downloads_it_audited(client: AsyncClient) -> None:
    await world.seed()
    headers = await officer(client)

    ran = await client.post(
        EXPORTS, json={"type": "transaction_journal", "period": "2026-11-27"}, headers=headers
    )
    assert ran.status_code == 202, ran.text
    assert ran.json()["status"] == "pending"
    export_id = ran.json()["id"]
    pending = await client.get(f"{EXPORTS}/{export_id}/files/postings.csv", headers=headers)
    assert pending.status_code == 409

    await support.run_worker_burst("reporting")
    shown = (await client.get(f"{EXPORTS}/{export_id}", headers=headers)).json()
    assert shown["status"] == "ready"
    assert [file["name"] for file in shown["files"]][-1] == "manifest.json"
    listed = (await client.get(EXPORTS, params={"type": "transaction_journal"}, headers=headers)).json()
    assert [row["id"] for row in listed["data"]] == [export_id]

    download = await client.get(f"{EXPORTS}/{export_id}/files/postings.csv", headers=headers)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["cache-control"] == "no-store"
    assert download.content == (GOLDEN / "transaction_journal" / "postings.csv").read_bytes()
    assert await audited("export.requested", export_id) == 1
    assert await audited("export.generated", export_id) == 1
    assert await audited("export.downloaded", export_id) == 1

    again = await client.post(
        EXPORTS, json={"type": "transaction_journal", "period": "2026-11-27"}, headers=headers
    )
    assert again.json()["id"] == export_id
    await support.run_worker_burst("reporting")
    rerun = await client.get(f"{EXPORTS}/{export_id}/files/postings.csv", headers=headers)
    assert rerun.content == download.content
    assert (await client.get(f"{EXPORTS}/{export_id}", headers=headers)).json()["generations"] == 2


async def test_bad_runs_are_refused_naming_the_field(client: AsyncClient) -> None:
    headers = await officer(client)
    cases: list[tuple[dict[str, Any], int, str | None]] = [
        ({"type": "transaction_journal", "period": "27/11/2026"}, 422, "period"),
        ({"type": "transaction_journal", "period": "2026-02-30"}, 422, "period"),
        ({"type": "emoney_statistics", "period": "2026-13"}, 422, "period"),
        ({"type": "compliance_pack", "period": "2026-11"}, 422, "period"),
        ({"type": "transaction_journal", "period": date.today().isoformat()}, 409, None),
        ({"type": "merchant_settlement", "period": "2026-11-27"}, 422, "merchant"),
        ({"type": "merchant_settlement", "period": "2026-11-27", "merchant": "MCHNOSUCH00"}, 422, "merchant"),
        ({"type": "freeze_report", "subject": str(UUID(int=7))}, 422, "subject"),
        (
            {"type": "merchant_settlement", "period": "2026-11-27", "merchant": "MCH\u0000DROP"},
            422,
            "merchant",
        ),
        ({"type": "transaction_journal", "period": "2026\u000011-2"}, 422, "period"),
        ({"type": "payroll", "period": "2026-11-27"}, 422, "type"),
    ]
    for body, status, field in cases:
        refused = await client.post(EXPORTS, json=body, headers=headers)
        assert refused.status_code == status, (body, refused.text)
        if field:
            assert field in refused.text, refused.text
    assert await support.query_value("SELECT count(*) FROM exports") == 0


async def test_customers_and_support_staff_cannot_see_exports(client: AsyncClient) -> None:
    _, customer = await active_customer(client)
    _, support_staff = await staff_tokens(client, "support")
    for headers in (bearer(customer), bearer(support_staff)):
        assert (await client.get(EXPORTS, headers=headers)).status_code == 403
        run = await client.post(
            EXPORTS, json={"type": "transaction_journal", "period": "2026-11-27"}, headers=headers
        )
        assert run.status_code == 403


async def settlement_of(session: AsyncSession, merchant_id: str) -> str:
    order = ExportOrder(ExportType.MERCHANT_SETTLEMENT, day(world.DAY), merchant_id, UUID(merchant_id))
    export, _ = await generate(session, order)
    return str(export.id)


async def test_a_merchant_reads_its_own_settlement_reports_and_no_other_shops(
    client: AsyncClient, session: AsyncSession
) -> None:
    mine, my_key, _ = await merchant_with_key(client)
    theirs, their_key, _ = await merchant_with_key(client, trade_name="Chez Voisin")
    _, unscoped_key, _ = await merchant_with_key(client, scopes=["payments:read"], trade_name="Sans Rapport")
    my_report = await settlement_of(session, mine["id"])
    their_report = await settlement_of(session, theirs["id"])

    listed = await client.get(REPORTS, headers=my_key)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["data"]] == [my_report]
    assert {file["name"] for file in listed.json()["data"][0]["files"]} >= {
        "summary.csv",
        "transactions.jsonl",
    }
    summary = await client.get(f"{REPORTS}/{my_report}/files/summary.csv", headers=my_key)
    assert summary.status_code == 200
    assert summary.text.splitlines()[1].startswith(mine["code"] + ",0,0,")
    assert await audited("export.downloaded", my_report) == 1

    assert (
        await client.get(f"{REPORTS}/{their_report}/files/summary.csv", headers=my_key)
    ).status_code == 404
    assert (
        await client.get(f"{REPORTS}/{my_report}/files/summary.csv", headers=their_key)
    ).status_code == 404
    assert (await client.get(REPORTS, headers=unscoped_key)).status_code == 403
    _, customer = await active_customer(client)
    assert (await client.get(REPORTS, headers=bearer(customer))).status_code == 401
    assert (await client.get(f"{REPORTS}/{my_report}/files/..%2Fsecret.csv", headers=my_key)).status_code in (
        400,
        404,
    )
