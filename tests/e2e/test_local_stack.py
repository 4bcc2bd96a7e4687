"""`make run` on a machine with no Postgres or Redis: embedded servers start, and stop after."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from tests import support
from tests.e2e.conftest import running, wait_for

pytestmark = pytest.mark.e2e


def test_make_run_falls_back_to_embedded_servers_and_cleans_up(tmp_path: Path) -> None:
    port = support.free_port()
    data_dir = tmp_path / "data"
    env = {
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/ompay",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "OMPAY_DATA_DIR": str(data_dir),
        "PORT": str(port),
    }
    with running([sys.executable, "-m", "ompay.devstack", "run"], env, stop_signal=signal.SIGINT) as stack:
        ready = wait_for(f"http://127.0.0.1:{port}/health/ready", timeout=180)
        assert ready.json()["status"] == "ready"
        assert httpx.get(f"http://127.0.0.1:{port}/health").json()["services"]["database"] == "ok"
        started = json.loads((data_dir / "devstack.json").read_text())
        assert {server["kind"] for server in started} == {"postgres", "redis"}
    assert stack.returncode == 0
    assert not any(psutil.pid_exists(server["pid"]) for server in started)
    assert not (data_dir / "devstack.json").exists()
