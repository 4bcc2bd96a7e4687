"""What one entry's evaluation costs in a worker, sequentially (no load beside it).

    python -m ompay.devstack exec --database ompay_bench -- python -m bench.evaluation_cost

Run after `bench.monitoring_lag` (it re-judges that run's last 300 transfers: their decisions,
alerts and cases are deleted first, in the bench database only).
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text

from bench.rescreening import bench_services

LAST_TRANSFERS = text(
    "SELECT id FROM journal_entries WHERE kind = 'p2p_transfer' ORDER BY created_at DESC LIMIT 300"
)


async def main() -> None:
    async with bench_services() as (_, session):
        entries = list(await session.scalars(LAST_TRANSFERS))
        await session.execute(text("SET session_replication_role = replica"))  # past append-only
        for table in ("alerts", "compliance_cases", "monitoring_decisions"):
            await session.execute(text(f"DELETE FROM {table}"))
        await session.commit()
    started = time.perf_counter()
    for entry_id in entries:
        async with bench_services() as (services, _):
            await services.monitoring_service.evaluate_entry(entry_id)
    per_entry = (time.perf_counter() - started) / max(len(entries), 1) * 1000
    print(
        f"{len(entries)} transfers evaluated one after another: {per_entry:.1f} ms each (two customers judged)"
    )


if __name__ == "__main__":
    asyncio.run(main())
