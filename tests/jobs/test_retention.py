"""The daily retention job: people closed over 10 years ago are anonymised; money and audit stay."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from config.settings import BASE_DIR, get_settings
from ompay.services.identity.retention import years_before
from tests import support
from tests.feature.test_kyc_documents import checked_submission
from tests.identity import PASSWORD, active_customer, bearer, staff_tokens
from tests.money_support import customer_funded_by_agent, transfer_body

LEDGER_FINGERPRINT = (
    "SELECT md5(coalesce(string_agg(e.reference || e.amount || p.amount || p.balance_after, ',' "
    "ORDER BY p.id), '')) FROM postings p JOIN journal_entries e ON e.id = p.entry_id"
)
AUDIT_FINGERPRINT = (
    "SELECT md5(string_agg(id::text || action || changes::text || coalesce(hash, ''), ',' ORDER BY id)) "
    "FROM audit_events WHERE action <> 'user.anonymised'"
)


async def _closed(client: AsyncClient, tokens: dict[str, Any], years_ago: int) -> str:
    user_id = str((await client.get("/api/v1/me", headers=bearer(tokens))).json()["id"])
    _, officer = await staff_tokens(client, "compliance_officer")
    closed = await client.post(
        f"/api/v1/admin/users/{user_id}/close", json={"reason": "Fin de relation"}, headers=bearer(officer)
    )
    assert closed.status_code == 200, closed.text
    await support.execute_sql(
        f"UPDATE users SET closed_at = now() - interval '{years_ago} years' WHERE id = '{user_id}'"
    )
    return user_id


async def _fingerprints() -> tuple[str, str]:
    return await support.query_value(LEDGER_FINGERPRINT), await support.query_value(AUDIT_FINGERPRINT)


async def _user(user_id: str, column: str) -> Any:
    return await support.query_value(f"SELECT {column} FROM users WHERE id = '{user_id}'")


async def test_a_user_closed_over_ten_years_ago_is_anonymised_once(client: AsyncClient) -> None:
    body, tokens, submission_id = await checked_submission(client)
    friend, friend_tokens = await customer_funded_by_agent(client, 5_000)
    given = await client.post(
        "/api/v1/transfers", json=transfer_body(body["phone"], 5_000), headers=bearer(friend_tokens)
    )
    assert given.status_code == 201, given.text
    await client.post("/api/v1/me/pin", json={"pin": "4821"}, headers=bearer(tokens))
    returned = await client.post(
        "/api/v1/transfers", json=transfer_body(friend["phone"], 5_000), headers=bearer(tokens)
    )
    assert returned.status_code == 201, returned.text
    old = await _closed(client, tokens, 11)
    _, recent_tokens = await active_customer(client)
    recent = await _closed(client, recent_tokens, 9)
    before = await _fingerprints()

    for _ in range(2):
        await support.enqueue_and_run("compliance", "anonymise_closed_users")

    phone = await _user(old, "phone")
    assert phone.startswith("+0")
    assert len(phone) == 16
    personal = "concat_ws('|', national_id, email, birth_date, sex)"
    assert (await _user(old, "first_name || last_name"), await _user(old, personal)) == ("AnonymeAnonyme", "")
    assert await _user(old, "password_hash || pin_hash") == "!!"
    assert await _user(old, "anonymised_at IS NOT NULL")
    assert await support.query_value(
        f"SELECT national_id IS NULL FROM persons WHERE id = (SELECT person_id FROM users WHERE id = '{old}')"
    )
    submission = await support.query_value(
        f"SELECT concat_ws('|', first_name, last_name, document_number, birth_date) "
        f"FROM kyc_submissions WHERE id = '{submission_id}'"
    )
    assert submission == "Anonyme|Anonyme|ANONYME|1900-01-01"
    assert (
        await support.query_value(f"SELECT count(*) FROM kyc_files WHERE submission_id = '{submission_id}'")
        == 0
    )
    folder = BASE_DIR / get_settings().kyc.document_store_url / "kyc" / submission_id
    assert not any(folder.glob("*"))

    assert await _fingerprints() == before
    recorded = await support.query_value(
        "SELECT json_agg(changes)::text FROM audit_events "
        f"WHERE action = 'user.anonymised' AND target_id = '{old}'"
    )
    assert recorded == '[{"files_deleted": 3, "kyc_submissions": 1}]'
    assert (await _user(recent, "anonymised_at"), await _user(recent, "first_name")) == (None, "Aminata")
    login = await client.post("/api/v1/auth/login", json={"phone": body["phone"], "password": PASSWORD})
    assert login.status_code == 401


def test_the_retention_period_counts_calendar_years() -> None:
    assert years_before(datetime(2036, 3, 1, 4, tzinfo=UTC), 10) == datetime(2026, 3, 1, 4, tzinfo=UTC)
    assert years_before(datetime(2036, 2, 29, tzinfo=UTC), 10) == datetime(2026, 2, 28, tzinfo=UTC)
