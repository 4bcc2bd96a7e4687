"""Identity documents over HTTP: checked by content, stored encrypted, then reviewed by officers."""

from __future__ import annotations

import hashlib
from typing import Any

from httpx import AsyncClient

from config.settings import BASE_DIR, get_settings
from tests import support
from tests.identity import active_customer, bearer, staff_tokens

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"front-of-card" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"back-of-card" * 50
PDF = b"%PDF-1.7\n" + b"selfie" * 50
REVIEW = "/api/v1/admin/kyc/submissions"


def document_fields(**overrides: str) -> dict[str, str]:
    return {
        "document_type": "cedeao_id_card",
        "document_number": "1990051700123",
        "first_name": "Aminata",
        "last_name": "Diop",
        "birth_date": "1990-05-17",
        "issued_on": "2022-01-10",
        "expires_on": "2032-01-09",
        **overrides,
    }


def document_files(**overrides: Any) -> dict[str, Any]:
    files = {
        "front": ("front.jpg", JPEG, "image/jpeg"),
        "back": ("back.png", PNG, "image/png"),
        "selfie": ("selfie.pdf", PDF, "application/pdf"),
        **overrides,
    }
    return {side: value for side, value in files.items() if value is not None}


async def submit(client: AsyncClient, tokens: dict[str, Any], **files: Any) -> Any:
    return await client.post(
        "/api/v1/me/kyc/documents",
        data=document_fields(),
        files=document_files(**files),
        headers=bearer(tokens),
    )


async def checked_submission(client: AsyncClient) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A customer whose document went through the automatic checks (a real `compliance` worker)."""
    body, tokens = await active_customer(client)
    submitted = await submit(client, tokens)
    assert submitted.status_code == 201, submitted.text
    await support.run_worker_burst("compliance")
    return body, tokens, submitted.json()["id"]


async def test_a_submission_is_stored_encrypted_with_its_hash(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    submitted = await submit(client, tokens)
    assert submitted.status_code == 201, submitted.text
    submission = submitted.json()
    assert (submission["status"], submission["document_type"]) == ("checking", "cedeao_id_card")
    on_disk = (
        BASE_DIR / get_settings().kyc.document_store_url / "kyc" / submission["id"] / "front"
    ).read_bytes()
    assert JPEG not in on_disk
    assert b"front-of-card" not in on_disk
    stored_hash = await support.query_value(
        "SELECT sha256 FROM kyc_files WHERE submission_id = $1 AND side = 'front'", submission["id"]
    )
    assert stored_hash == hashlib.sha256(JPEG).hexdigest()
    status = (await client.get("/api/v1/me/kyc", headers=bearer(tokens))).json()
    assert (status["tier"], status["submission"]["status"]) == ("tier0", "checking")


async def test_bad_files_are_refused_naming_the_field_and_nothing_is_kept(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    too_big = await submit(
        client, tokens, front=("front.jpg", JPEG[:4] + b"0" * (6 * 1024 * 1024), "image/jpeg")
    )
    script = await submit(client, tokens, selfie=("selfie.jpg", b"#!/bin/sh\nrm -rf /\n", "image/jpeg"))
    missing = await submit(client, tokens, selfie=None)
    no_back = await submit(client, tokens, back=None)
    for response, field in ((too_big, "front"), (script, "selfie"), (missing, "selfie"), (no_back, "back")):
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]
    assert await support.query_value("SELECT count(*) FROM kyc_submissions") == 0
    assert await support.query_value("SELECT count(*) FROM kyc_files") == 0


async def test_one_open_submission_at_a_time(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    assert (await submit(client, tokens)).status_code == 201
    again = await submit(client, tokens)
    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")


async def test_checks_run_as_a_job_and_officers_see_each_result(client: AsyncClient) -> None:
    _, _, submission_id = await checked_submission(client)
    _, officer = await staff_tokens(client, "compliance_officer")
    queue = (await client.get(REVIEW, params={"status": "pending_review"}, headers=bearer(officer))).json()
    assert [row["id"] for row in queue["data"]] == [submission_id]
    detail = (await client.get(f"{REVIEW}/{submission_id}", headers=bearer(officer))).json()
    outcomes = {check["check"]: check["outcome"] for check in detail["checks"]}
    assert outcomes == {
        "id_number_format": "passed",
        "expiry": "passed",
        "age": "passed",
        "name_match": "passed",
        "duplicate_id": "passed",
        "screening": "not_screened",
    }
    assert detail["submission"]["checks_outcome"] == "not_screened"
    assert sorted(file["side"] for file in detail["files"]) == ["back", "front", "selfie"]


async def test_an_officer_downloads_audited_and_approves_to_tier1(client: AsyncClient) -> None:
    body, tokens, submission_id = await checked_submission(client)
    _, officer = await staff_tokens(client, "compliance_officer")
    front = await client.get(f"{REVIEW}/{submission_id}/files/front", headers=bearer(officer))
    assert (front.status_code, front.content, front.headers["content-type"]) == (200, JPEG, "image/jpeg")
    downloads = await support.query_value(
        "SELECT count(*) FROM audit_events WHERE action = 'kyc.document_downloaded' AND target_id = $1",
        submission_id,
    )
    assert downloads == 1
    approved = await client.post(f"{REVIEW}/{submission_id}/approve", headers=bearer(officer))
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    wallet = (await client.get("/api/v1/wallet", headers=bearer(tokens))).json()
    assert wallet["tier"] == "tier1"
    assert wallet["limits"]["max_balance"]["limit"] == 2_000_000
    await support.run_worker_burst("notifications")
    texts = (await client.get("/api/v1/sandbox/sms", params={"phone": body["phone"]})).json()
    assert "vérifiée" in texts[0]["body"]
    tier_changes = await support.query_value(
        "SELECT count(*) FROM audit_events WHERE action = 'kyc.tier_changed'"
    )
    assert tier_changes == 1


async def test_a_rejection_keeps_its_reason_internal(client: AsyncClient) -> None:
    body, tokens, submission_id = await checked_submission(client)
    _, officer = await staff_tokens(client, "compliance_officer")
    rejected = await client.post(
        f"{REVIEW}/{submission_id}/reject", json={"reason": "suspected_fraud"}, headers=bearer(officer)
    )
    assert (rejected.status_code, rejected.json()["reject_reason"]) == (200, "suspected_fraud")
    mine = (await client.get("/api/v1/me/kyc", headers=bearer(tokens))).json()
    assert "fraud" not in str(mine)
    assert (mine["tier"], mine["submission"]["status"]) == ("tier0", "rejected")
    await support.run_worker_burst("notifications")
    texts = (await client.get("/api/v1/sandbox/sms", params={"phone": body["phone"]})).json()
    assert "fraud" not in texts[0]["body"].lower()
    assert "nouvelle" in texts[0]["body"]
    twice = await client.post(f"{REVIEW}/{submission_id}/approve", headers=bearer(officer))
    assert twice.status_code == 409


async def test_support_reads_the_queue_but_neither_downloads_nor_decides(client: AsyncClient) -> None:
    _, _, submission_id = await checked_submission(client)
    _, support_staff = await staff_tokens(client, "support")
    headers = bearer(support_staff)
    assert (await client.get(REVIEW, headers=headers)).status_code == 200
    assert (await client.get(f"{REVIEW}/{submission_id}/files/front", headers=headers)).status_code == 403
    assert (await client.post(f"{REVIEW}/{submission_id}/approve", headers=headers)).status_code == 403
    rejected = await client.post(
        f"{REVIEW}/{submission_id}/reject", json={"reason": "other"}, headers=headers
    )
    assert rejected.status_code == 403


async def test_a_number_already_held_by_another_person_goes_to_review(client: AsyncClient) -> None:
    holder, _ = await active_customer(client)
    _, tokens = await active_customer(client)
    fields = document_fields(document_number=holder["national_id"])
    submitted = await client.post(
        "/api/v1/me/kyc/documents", data=fields, files=document_files(), headers=bearer(tokens)
    )
    assert submitted.status_code == 201, submitted.text
    await support.run_worker_burst("compliance")
    outcome = await support.query_value(
        "SELECT outcome FROM kyc_checks WHERE submission_id = $1 AND \"check\" = 'duplicate_id'",
        submitted.json()["id"],
    )
    assert outcome == "review"


async def test_a_form_field_that_is_not_utf8_is_a_422_not_a_server_error(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="first_name"\r\n\r\n'.encode()
        + b"\xb5\xff\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = await client.post(
        "/api/v1/me/kyc/documents",
        content=body,
        headers={**bearer(tokens), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body"
