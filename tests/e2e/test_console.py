"""The `ompay` console commands that touch the database, run as real processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.e2e.conftest import OMPAY

FIXTURES = Path(__file__).parent.parent / "fixtures" / "screening"

pytestmark = pytest.mark.e2e


def _ompay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OMPAY, *args], env=os.environ.copy(), capture_output=True, text=True, timeout=120, check=False
    )


async def test_create_user_makes_an_active_staff_member_once(session: AsyncSession) -> None:
    args = ("create-user", "--role", "compliance_officer", "--phone", "770009999", "--first-name", "Khady")
    created = _ompay(*args, "--last-name", "Ba", "--password", "officer-pass-1")
    assert created.returncode == 0, created.stderr
    row = (await session.execute(text("SELECT role, status, phone FROM users"))).one()
    assert tuple(row) == ("compliance_officer", "active", "+221770009999")
    duplicate = _ompay(*args, "--last-name", "Ba", "--password", "officer-pass-1")
    assert duplicate.returncode == 1
    assert "phone" in duplicate.stdout + duplicate.stderr


async def test_create_merchant_onboards_and_can_approve_at_once(session: AsyncSession) -> None:
    owner = _ompay(
        "create-user",
        "--role",
        "merchant",
        "--phone",
        "770008888",
        "--first-name",
        "Modou",
        "--last-name",
        "Sarr",
        "--password",
        "merchant-pass-1",
    )
    assert owner.returncode == 0, owner.stderr
    args = (
        "create-merchant",
        "--owner-phone",
        "770008888",
        "--business-name",
        "Sarr Distribution SARL",
        "--trade-name",
        "Chez Sarr",
        "--category",
        "grocery",
    )
    created = _ompay(*args, "--approve")
    assert created.returncode == 0, created.stderr
    row = (
        await session.execute(
            text("SELECT m.status, a.status FROM merchants m JOIN ledger_accounts a ON a.id = m.wallet_id")
        )
    ).one()
    assert tuple(row) == ("active", "active")
    unknown = _ompay("create-merchant", "--owner-phone", "770007777", *args[3:])
    assert unknown.returncode == 1
    assert "owner_phone" in unknown.stdout + unknown.stderr


async def test_db_seed_seeds_an_empty_database_only(session: AsyncSession) -> None:
    first = _ompay("db-seed")
    assert first.returncode == 0, first.stderr
    assert "customers" in first.stdout
    assert await session.scalar(text("SELECT count(*) FROM users")) == 4
    assert await session.scalar(text("SELECT status FROM merchants")) == "active"
    assert "left as is" in _ompay("db-seed").stdout
    assert await session.scalar(text("SELECT count(*) FROM users")) == 4


async def test_db_seed_funds_the_demo_customers_through_the_ledger(session: AsyncSession) -> None:
    assert _ompay("db-seed").returncode == 0
    balances = await session.execute(
        text(
            "SELECT u.phone, a.balance FROM users u JOIN ledger_accounts a ON a.owner_id = u.id "
            "WHERE a.kind = 'customer_wallet' ORDER BY u.phone"
        )
    )
    assert list(balances) == [("+221771000001", 100_000), ("+221781000002", 100_000)]
    kinds = await session.scalars(text("SELECT kind FROM journal_entries ORDER BY created_at, kind"))
    assert list(kinds) == ["float_funding", "cash_in", "cash_in"]
    assert _ompay("ledger", "verify").returncode == 0


def _boxed_key(output: str) -> str:
    """The API key in the box that ends `output` (the last thing printed, so nobody misses it)."""
    *_, top, title, key_line, bottom = output.strip().splitlines()
    assert (top[0], bottom[0], title[0], key_line[0]) == ("┌", "└", "│", "│"), output
    assert "shown only this once" in title
    return key_line.strip("│ ")


async def test_create_api_key_prints_a_working_key_once_in_a_box(
    session: AsyncSession, client: AsyncClient
) -> None:
    seeded = _ompay("db-seed")
    seeded_key = _boxed_key(seeded.stdout)
    code = await session.scalar(text("SELECT code FROM merchants"))
    created = _ompay(
        "create-api-key", "--merchant", code.lower(), "--name", "till-2", "--scope", "payments:read"
    )
    assert created.returncode == 0, created.stderr
    new_key = _boxed_key(created.stdout)
    assert new_key.startswith("ompay_sk_")
    assert new_key != seeded_key
    row = (await session.execute(text("SELECT scopes, hint FROM api_keys WHERE name = 'till-2'"))).one()
    assert row.scopes == ["payments:read"]
    assert new_key not in str(list(await session.execute(text("SELECT * FROM api_keys"))))
    listed = await client.get(
        "/api/v1/merchant/payment-requests", headers={"Authorization": f"Bearer {new_key}"}
    )
    assert listed.status_code == 200, listed.text
    unknown = _ompay("create-api-key", "--merchant", "MCH00000000")
    assert unknown.returncode == 1
    assert "merchant: Aucun marchand avec ce code" in unknown.stderr


async def test_ledger_verify_fails_loudly_when_a_balance_is_off(session: AsyncSession) -> None:
    assert _ompay("ledger", "verify").returncode == 0
    await session.execute(text("UPDATE ledger_accounts SET balance = 7 WHERE number = 'SYS-FEE-03'"))
    await session.commit()
    broken = _ompay("ledger", "verify")
    assert broken.returncode == 1
    assert "out of balance" in broken.stdout + broken.stderr


async def test_kyc_add_limits_adds_a_version_and_refuses_bad_amounts(session: AsyncSession) -> None:
    args = ("kyc", "add-limits", "--tier", "tier0", "--max-monthly-credits", "250000")
    added = _ompay(*args, "--max-balance", "300000", "--max-per-transaction", "none")
    assert added.returncode == 0, added.stderr
    assert "tier0 limits v2" in added.stdout
    row = (
        await session.execute(
            text("SELECT max_balance, max_per_transaction, created_by FROM kyc_limits WHERE version = 2")
        )
    ).one()
    assert tuple(row) == (300_000, None, "console")
    refused = _ompay(*args, "--max-balance", "lots", "--max-per-transaction", "none")
    assert refused.returncode == 2
    assert "--max-balance" in refused.stderr
    shown = _ompay("kyc", "limits")
    assert "tier0     v2  balance 300000" in shown.stdout


async def test_screening_import_adds_a_version_once_and_refuses_a_foreign_file(session: AsyncSession) -> None:
    un_list = str(FIXTURES / "un_consolidated.xml")
    imported = _ompay("screening", "import", "--format", "un-xml", "--list", "un", un_list)
    assert imported.returncode == 0, imported.stderr
    assert "un v1: 2 entries" in imported.stdout
    again = _ompay("screening", "import", "--format", "un-xml", "--list", "un", un_list)
    assert "nothing imported" in again.stdout
    foreign = _ompay("screening", "import", "--format", "csv", "--list", "internal", un_list)
    assert foreign.returncode == 1
    assert "file:" in foreign.stderr
    rows = (
        await session.execute(text("SELECT list_name, version, entry_count FROM screening_list_versions"))
    ).all()
    assert [tuple(row) for row in rows] == [("un", 1, 2)]
    keys = await session.scalar(
        text("SELECT blocking_keys FROM screening_entries WHERE reference = 'QDi.999'")
    )
    assert "mohamed"[:4] in keys


async def test_monitoring_rules_are_listed_and_versioned_by_the_console(session: AsyncSession) -> None:
    shown = _ompay("monitoring", "rules")
    assert shown.returncode == 0, shown.stderr
    assert "TM-04 v1  review" in shown.stdout
    params = '{"per_hour": 8, "per_day": 50, "amount_per_hour": 1000000, "inline_block": true}'
    added = _ompay(
        "monitoring",
        "add-rule",
        "--rule",
        "TM-04",
        "--params",
        params,
        "--score",
        "40",
        "--outcome",
        "review",
    )
    assert added.returncode == 0, added.stderr
    assert "TM-04 v2 effective" in added.stdout
    missing = _ompay(
        "monitoring",
        "add-rule",
        "--rule",
        "TM-04",
        "--params",
        '{"per_hour": 8}',
        "--score",
        "1",
        "--outcome",
        "review",
    )
    assert missing.returncode == 1
    assert "params:" in missing.stderr
    versions = await session.scalar(text("SELECT count(*) FROM monitoring_rules WHERE rule_id = 'TM-04'"))
    assert versions == 2


async def test_export_run_generates_the_same_bytes_by_hand_and_refuses_a_bad_period() -> None:
    from tests.exports import world
    from tests.exports.test_golden import GOLDEN

    await world.seed()
    first = _ompay("export", "run", "transaction_journal", "--period", "2026-11-27")
    assert first.returncode == 0, first.stderr
    postings_sha = hashlib.sha256((GOLDEN / "transaction_journal" / "postings.csv").read_bytes()).hexdigest()
    assert "postings.csv" in first.stdout
    assert postings_sha in first.stdout
    again = _ompay("export", "run", "transaction_journal", "--period", "2026-11-27")
    assert "generation 2" in again.stdout
    assert postings_sha in again.stdout
    refused = _ompay("export", "run", "emoney_statistics", "--period", "2026-11-27")
    assert refused.returncode == 1
    assert "period" in refused.stdout + refused.stderr
