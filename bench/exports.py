"""The daily transaction journal of 1 000 000 postings (issue 13 target: ≤ 60 s, ≤ 200 MB).

    python -m ompay.devstack exec --database ompay_bench -- python -m bench.exports

Seeds (once, bulk SQL) 500 000 two-legged transfers between 10 000 wallets on 2026-11-20, with
consistent versions and balances, then generates that day's journal the way a reporting worker
does: one repeatable-read snapshot streamed into sealed CSV and JSON Lines files. Prints the
wall time, the rows written, and the process's peak resident memory (before and after).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from datetime import date

import asyncpg

from bench.seed import bench_services, migrate
from config.settings import get_settings
from ompay.domain.actors import Actor
from ompay.domain.exports import ExportType, day
from ompay.services.exports.requests import ExportOrder

DAY = date(2026, 11, 20)
WALLETS = 10_000

SEED = """
INSERT INTO ledger_accounts (id, kind, status, number, balance, version, created_at, updated_at)
SELECT gen_random_uuid(), 'customer_wallet', 'active', 'BX' || lpad(i::text, 8, '0'), 0, 0,
       '2026-11-01', '2026-11-01'
FROM generate_series(0, {wallets} - 1) i;

CREATE TEMP TABLE bench_legs ON COMMIT DROP AS
WITH wallets AS (
    SELECT id, row_number() OVER (ORDER BY number) - 1 AS n FROM ledger_accounts WHERE number LIKE 'BX%'
),
entries AS (
    SELECT i, gen_random_uuid() AS entry_id,
           timestamptz '2026-11-20 00:00+00' + (i * interval '86399 seconds') / {entries} AS at
    FROM generate_series(0, {entries} - 1) i
)
SELECT e.entry_id, e.i, e.at, w.id AS account_id, leg.amount, leg.leg
FROM entries e
CROSS JOIN LATERAL (VALUES (0, -100, e.i % {wallets}), (1, 100, (e.i + 1) % {wallets})) AS leg(leg, amount, wallet)
JOIN wallets w ON w.n = leg.wallet;

INSERT INTO journal_entries (id, reference, kind, status, amount, fee, initiator_type, initiator_id, created_at)
SELECT entry_id, 'TXBENCH' || lpad(i::text, 9, '0'), 'p2p_transfer', 'posted', 100, 0, 'system', 'bench', at
FROM bench_legs WHERE leg = 0;

INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version, created_at)
SELECT gen_random_uuid(), entry_id, account_id, amount,
       1000000 + sum(amount) OVER w, row_number() OVER w, at
FROM bench_legs
WINDOW w AS (PARTITION BY account_id ORDER BY i, leg);
"""


async def seed(dsn: str, entries: int) -> None:
    connection = await asyncpg.connect(dsn.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        if await connection.fetchval("SELECT count(*) FROM ledger_accounts WHERE number LIKE 'BX%'"):
            return
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            await connection.execute(SEED.format(entries=int(entries), wallets=WALLETS))
        await connection.execute("ANALYZE journal_entries; ANALYZE postings; ANALYZE ledger_accounts")
        print(f"seeded {entries} entries ({2 * entries} postings) in {time.perf_counter() - started:.1f} s")
    finally:
        await connection.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def generate() -> None:
    async with bench_services() as (services, _):
        before = peak_rss_mb()
        export, _ = await services.export_request_service.record(
            ExportOrder(ExportType.TRANSACTION_JOURNAL, day(DAY)), Actor.system("bench")
        )
        await services.uow.commit()
        started = time.perf_counter()
        export = await services.export_generation_service.generate(export.id)
        elapsed = time.perf_counter() - started
    rows = {file["name"]: file["rows"] for file in export.files}
    size = sum(file["size"] for file in export.files) / 1e6
    print(f"journal {DAY}: {elapsed:.1f} s, files {size:.0f} MB, rows {rows}")
    print(f"peak RSS {peak_rss_mb():.0f} MB (process before the export: {before:.0f} MB)")


async def main(entries: int) -> None:
    migrate()
    await seed(get_settings().db.async_url, entries)
    await generate()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500_000, help="two postings each")
    asyncio.run(main(parser.parse_args().entries))
