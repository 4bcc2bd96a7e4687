"""Monitoring lag while the transfer benchmark runs (issue 12 target: p99 ≤ 5 s).

    python -m ompay.devstack exec --database ompay_bench -- python -m bench.monitoring_lag

Serves the API and runs `ompay workers run` (every queue) plus one more `compliance` worker
process (production's two worker replicas, on one box), waits for the
workers to be up and warms the processes with 5 s of load (not measured), then drives legacy
P2P transfers with wrk and waits for every entry's evaluation. The lag of an entry is from its
commit to its decision's; both clocks are the database's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from bench.__main__ import BIN, FAST_LIMITS, OUT, _free_port, serving, wrk
from bench.seed import migrate, seed

LAGS = """
SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY lag), max(lag), count(*)
FROM (
    SELECT extract(epoch FROM d.created_at - e.created_at) AS lag
    FROM monitoring_decisions d JOIN journal_entries e ON e.id = d.entry_id
    WHERE e.created_at >= $1
) lags
"""
PENDING = "SELECT count(*) FROM outbox WHERE topic = 'ledger.entry_posted' AND processed_at IS NULL"
TICKED = "SELECT count(*) > 0 FROM scheduled_job_runs WHERE scheduled_at > now() - interval '1 minute'"
WARM_UP = 5


@contextmanager
def workers(env: dict[str, str], extra_compliance: int) -> Iterator[None]:
    """`ompay workers run` (every queue), and `extra_compliance` more processes of the
    `compliance` queue alone (`ompay workers run --queues compliance`), as a deployment may add."""
    commands = [[str(BIN / "ompay"), "workers", "run"]]
    commands += [[str(BIN / "ompay"), "workers", "run", "--queues", "compliance"]] * extra_compliance
    processes = [subprocess.Popen(c, env={**os.environ, **env}, start_new_session=True) for c in commands]
    try:
        yield
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(60)


async def drained(dsn: str, within: float) -> float:
    """Seconds until no evaluation is pending, after the load stopped (polled every 0.5 s)."""
    connection = await asyncpg.connect(dsn)
    started = time.monotonic()
    try:
        for _ in range(int(within * 2)):
            if not await connection.fetchval(PENDING):
                break
            await asyncio.sleep(0.5)
    finally:
        await connection.close()
    return time.monotonic() - started


async def workers_ready(dsn: str) -> None:
    """Until the workers' scheduler has run a tick: in production they are up before traffic."""
    connection = await asyncpg.connect(dsn)
    try:
        for _ in range(120):
            if await connection.fetchval(TICKED):
                return
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def lags(dsn: str, since: object) -> tuple[list[float], float, int]:
    connection = await asyncpg.connect(dsn)
    try:
        percentiles, worst, count = await connection.fetchrow(LAGS, since)
    finally:
        await connection.close()
    return list(percentiles or [0.0, 0.0]), float(worst or 0.0), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--wallets", type=int, default=2000)
    # Production runs at least two worker replicas (docker/k8s/worker-hpa.yaml, compose.yaml):
    # one more process of the `compliance` queue beside `ompay workers run` is that topology.
    parser.add_argument("--extra-compliance-workers", type=int, default=1)
    args = parser.parse_args()
    dsn = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    OUT.mkdir(parents=True, exist_ok=True)
    migrate()
    (OUT / "users.txt").write_text("\n".join(asyncio.run(seed(dsn, args.wallets))) + "\n")
    env = {**FAST_LIMITS, "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "2", "BENCH_WALLETS": str(args.wallets)}
    port = _free_port()
    with (
        workers(env, args.extra_compliance_workers),
        serving([str(BIN / "ompay"), "run", "--port", str(port)], env, port) as base,
    ):
        asyncio.run(workers_ready(dsn))
        wrk(base, "bench/transfer.lua", args.clients, WARM_UP, env)  # connections, caches, JIT
        asyncio.run(drained(dsn, 300))
        since = asyncio.run(_now(dsn))
        load = wrk(base, "bench/transfer.lua", args.clients, args.seconds, env)
        drain = asyncio.run(drained(dsn, 300))
    (p50, p99), worst, count = asyncio.run(lags(dsn, since))
    print(
        f"{args.extra_compliance_workers} extra compliance workers: "
        f"{load['rps']:.0f} transfers/s for {args.seconds} s ({args.clients} clients, p99 {load['p99_ms']:.0f} ms); "
        f"{count} entries evaluated; lag p50 {p50:.2f} s, p99 {p99:.2f} s, max {worst:.2f} s; "
        f"backlog drained {drain:.1f} s after the load"
    )


async def _now(dsn: str) -> object:
    connection = await asyncpg.connect(dsn)
    try:
        return await connection.fetchval("SELECT now()")
    finally:
        await connection.close()


if __name__ == "__main__":
    main()
