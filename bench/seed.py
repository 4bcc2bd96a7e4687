"""Seed the benchmark database: funded customer wallets with live sessions, and the pgbench tables.

Bulk SQL, kept balanced (one adjustment entry from e-money issuance); idempotent.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import asyncpg
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from config.database import get_alchemy_config
from config.settings import get_settings
from jobs.context import job_dispatcher
from ompay.lib.crypto import Keys, PinHasher, SecretHasher
from ompay.services.container import Services, short_lived_services
from ompay.services.identity.sessions import ALGORITHM, ISSUER

FUNDS = 100_000_000
PIN = "4821"

BENCH_TABLES = """
CREATE TABLE IF NOT EXISTS bench_accounts (id int PRIMARY KEY, balance bigint NOT NULL, version bigint NOT NULL);
CREATE TABLE IF NOT EXISTS bench_entries (
    id bigserial PRIMARY KEY, reference text UNIQUE NOT NULL, amount bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_postings (
    id bigserial PRIMARY KEY, entry_id bigint NOT NULL REFERENCES bench_entries(id),
    account_id int NOT NULL REFERENCES bench_accounts(id), amount bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS ix_bench_postings_entry ON bench_postings (entry_id);
CREATE INDEX IF NOT EXISTS ix_bench_postings_account ON bench_postings (account_id, created_at DESC, id DESC);
"""

# Bench wallets hold 100 M each, far above tier1's caps: a bench-only limits version lifts the caps
# so every transfer runs the whole limit check (with real, non-null limits) and succeeds.
BENCH_LIMITS = """
INSERT INTO kyc_limits (id, tier, version, max_balance, max_monthly_credits, max_per_transaction,
                        effective_from, created_by, created_at)
SELECT gen_random_uuid(), 'tier1', (SELECT max(version) + 1 FROM kyc_limits WHERE tier = 'tier1'),
       1000000000000, 1000000000000, 1000000, '2020-01-02T00:00:00Z', 'bench', now()
WHERE NOT EXISTS (SELECT 1 FROM kyc_limits WHERE created_by = 'bench')
"""


def migrate() -> None:
    """The bench database at the code's schema (`ompay database upgrade`)."""
    ompay = Path(sys.executable).parent / "ompay"
    subprocess.run([ompay, "database", "upgrade", "--no-prompt"], check=True, capture_output=True)


async def seed(dsn: str, wallets: int) -> list[str]:
    """Seed if needed; returns `<access token> <local phone>` lines for the load generator."""
    settings = get_settings()
    keys = Keys.derive(settings.app.secret_key)
    connection = await asyncpg.connect(dsn.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        if (
            await connection.fetchval("SELECT count(*) FROM ledger_accounts WHERE number LIKE 'BW%'")
            < wallets
        ):
            pins = PinHasher.from_settings(settings.auth, SecretHasher(settings.auth, keys.pin_pepper))
            async with connection.transaction():
                await connection.execute("SET LOCAL session_replication_role = replica")
                await _customers(connection, wallets, pins)
        await connection.execute(BENCH_TABLES)
        await connection.execute(
            "INSERT INTO bench_accounts SELECT i, 1000000000, 0 FROM generate_series(1, $1) i ON CONFLICT DO NOTHING",
            wallets,
        )
        rows = await connection.fetch(
            "SELECT u.id, u.phone, s.id AS session_id FROM users u JOIN auth_sessions s ON s.user_id = u.id "
            "WHERE u.phone LIKE '+22176%' AND s.revoked_at IS NULL"
        )
    finally:
        await connection.close()
    expires = datetime.now(UTC) + timedelta(hours=6)
    return [
        Token(sub=str(row["id"]), exp=expires, iss=ISSUER, jti=str(row["session_id"]),
              extras={"role": "customer", "sid": str(row["session_id"])}).encode(keys.access_token, ALGORITHM)
        + " " + row["phone"][-9:]
        for row in rows
    ]  # fmt: skip


async def _customers(connection: asyncpg.Connection, wallets: int, pins: PinHasher) -> None:
    ids = [uuid4() for _ in range(wallets)]
    await connection.execute(
        "INSERT INTO users (id, person_id, role, status, first_name, last_name, phone, password_hash, pin_hash, "
        "created_at, updated_at) SELECT u.id, gen_random_uuid(), 'customer', 'active', 'Bench', "
        "'User' || u.i, '+22176' || lpad(u.i::text, 7, '0'), 'x', u.pin_hash, now(), now() "
        "FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS u(id, pin_hash, i) "
        "ON CONFLICT (phone) DO NOTHING",
        ids,
        [pins.hash(user_id, PIN) for user_id in ids],
    )
    await connection.execute(
        "INSERT INTO persons (id, tier, created_at, updated_at) SELECT person_id, 'tier1', now(), now() "
        "FROM users u WHERE u.phone LIKE '+22176%' ON CONFLICT DO NOTHING"
    )
    await connection.execute(BENCH_LIMITS)
    await connection.execute(
        "INSERT INTO ledger_accounts (id, kind, status, owner_id, person_id, number, shard, currency, balance, "
        "version, created_at, updated_at) SELECT gen_random_uuid(), 'customer_wallet', 'active', u.id, u.person_id, "
        "'BW' || lpad(substr(u.phone, 7), 10, '0'), 0, 'XOF', 0, 0, now(), now() FROM users u "
        "WHERE u.phone LIKE '+22176%' AND NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.owner_id = u.id)"
    )
    entry = await connection.fetchval(
        "INSERT INTO journal_entries (id, reference, kind, status, amount, fee, initiator_type, initiator_id, "
        "details, created_at) VALUES (gen_random_uuid(), 'OMP-' || to_char(now(), 'YYYYMMDD') || '-BENCH' || "
        "substr(md5(random()::text), 1, 3), 'adjustment', 'posted', 0, 0, 'system', 'bench', '{}', now()) RETURNING id"
    )
    funded = await connection.fetch(
        "UPDATE ledger_accounts SET balance = balance + $1, version = version + 1 "
        "WHERE number LIKE 'BW%' AND version = 0 RETURNING id, balance, version",
        FUNDS,
    )
    await connection.executemany(
        "INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version, created_at) "
        "VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now())",
        [(entry, row["id"], FUNDS, row["balance"], row["version"]) for row in funded],
    )
    total = FUNDS * len(funded)
    issuance = await connection.fetchrow(
        "UPDATE ledger_accounts SET balance = balance - $1, version = version + 1 "
        "WHERE number = 'SYS-EMI-00' RETURNING id, balance, version",
        total,
    )
    await connection.execute(
        "INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version, created_at) "
        "VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now())",
        entry, issuance["id"], -total, issuance["balance"], issuance["version"],
    )  # fmt: skip
    await connection.execute("UPDATE journal_entries SET amount = $1 WHERE id = $2", total, entry)
    await connection.execute(
        "INSERT INTO auth_sessions (id, user_id, expires_at, last_used_at, created_at, updated_at) "
        "SELECT gen_random_uuid(), u.id, now() + interval '30 days', now(), now(), now() FROM users u "
        "WHERE u.phone LIKE '+22176%' AND NOT EXISTS (SELECT 1 FROM auth_sessions s WHERE s.user_id = u.id)"
    )


@asynccontextmanager
async def bench_services() -> AsyncIterator[tuple[Services, AsyncSession]]:
    alchemy = get_alchemy_config()
    async with (
        alchemy.get_session() as session,
        short_lived_services(session, get_settings(), job_dispatcher(), alchemy.get_engine()) as services,
    ):
        yield services, session
