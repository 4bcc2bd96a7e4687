"""The daily KYC expiry job: lapsed documents downgrade their holder to tier0; a reminder 30 days before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests import support
from tests.feature.test_kyc_documents import REVIEW, checked_submission
from tests.identity import bearer, staff_tokens


async def approved_customer(client: AsyncClient) -> tuple[dict[str, str], dict[str, str], str]:
    body, tokens, submission_id = await checked_submission(client)
    _, officer = await staff_tokens(client, "compliance_officer")
    approved = await client.post(f"{REVIEW}/{submission_id}/approve", headers=bearer(officer))
    assert approved.status_code == 200, approved.text
    await support.run_worker_burst("notifications")
    return body, tokens, submission_id


async def expire_on(submission_id: str, days_from_today: int) -> None:
    day = (datetime.now(UTC) + timedelta(days=days_from_today)).date().isoformat()
    await support.execute_sql(f"UPDATE kyc_submissions SET expires_on = '{day}' WHERE id = '{submission_id}'")


async def texts_to(client: AsyncClient, phone: str) -> list[str]:
    await support.run_worker_burst("notifications")
    messages = (await client.get("/api/v1/sandbox/sms", params={"phone": phone})).json()
    return [message["body"] for message in messages]


async def test_an_expired_document_downgrades_to_tier0_and_asks_for_a_new_one(client: AsyncClient) -> None:
    body, tokens, submission_id = await approved_customer(client)
    await expire_on(submission_id, 0)
    await support.enqueue_and_run("compliance", "expire_kyc_documents")
    mine = (await client.get("/api/v1/me/kyc", headers=bearer(tokens))).json()
    assert (mine["tier"], mine["submission"]["status"], mine["resubmission_required"]) == (
        "tier0",
        "expired",
        True,
    )
    assert (await client.get("/api/v1/wallet", headers=bearer(tokens))).json()["tier"] == "tier0"
    await support.enqueue_and_run("compliance", "expire_kyc_documents")
    expired = [text for text in await texts_to(client, body["phone"]) if "a expiré" in text]
    assert len(expired) == 1


async def test_a_reminder_goes_once_thirty_days_before_expiry(client: AsyncClient) -> None:
    body, tokens, submission_id = await approved_customer(client)
    await expire_on(submission_id, 30)
    for _ in range(2):
        await support.enqueue_and_run("compliance", "expire_kyc_documents")
    reminders = [text for text in await texts_to(client, body["phone"]) if "30 jours" in text]
    assert len(reminders) == 1
    mine = (await client.get("/api/v1/me/kyc", headers=bearer(tokens))).json()
    assert (mine["tier"], mine["resubmission_required"]) == ("tier1", False)
