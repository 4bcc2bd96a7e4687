"""`make run` on a machine with no Postgres or Redis: embedded servers start, and stop after."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from ompay.devstack.services import database_name
from tests import support
from tests.e2e.conftest import running, wait_for

pytestmark = pytest.mark.e2e


def _register_activate_and_login(base: str) -> None:
    """The whole sign-up flow over HTTP only: the worker started by `make run` delivers the SMS."""
    customer = {
        "first_name": "Fatou", "last_name": "Sarr", "phone": "761234567", "national_id": "1987654321012",
        "sex": "female", "birth_date": "1992-04-01", "password": "e2e-password-1",
    }  # fmt: skip
    assert httpx.post(f"{base}/api/v1/auth/register", json=customer).status_code == 201
    deadline = time.monotonic() + 60
    messages: list[dict[str, str]] = []
    while not messages and time.monotonic() < deadline:
        messages = httpx.get(f"{base}/api/v1/sandbox/sms", params={"phone": customer["phone"]}).json()
        time.sleep(0.5)
    code = re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)  # type: ignore[union-attr]
    verified = httpx.post(f"{base}/api/v1/auth/otp/verify", json={"phone": customer["phone"], "code": code})
    assert verified.status_code == 200, verified.text
    login = httpx.post(
        f"{base}/api/v1/auth/login", json={"phone": customer["phone"], "password": customer["password"]}
    )
    me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.json()["status"] == "active"


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
        _register_activate_and_login(f"http://127.0.0.1:{port}")
        started = json.loads((data_dir / "devstack.json").read_text())
        assert {server["kind"] for server in started} == {"postgres", "redis"}
    assert stack.returncode == 0
    assert not any(psutil.pid_exists(server["pid"]) for server in started)
    assert not (data_dir / "devstack.json").exists()


def test_a_stack_on_a_database_of_its_own_also_gets_a_redis_database_of_its_own() -> None:
    """Jobs a benchmark leaves queued must never be run by `make run`'s workers on another database."""
    show = [sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"]
    side_name = database_name(os.environ["DATABASE_URL"]) + "_side"
    side = subprocess.run(
        [sys.executable, "-m", "ompay.devstack", "exec", "--database", side_name, "--", *show],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    database_url, redis_url = side.stdout.splitlines()[-1].split()
    assert database_url.endswith(f"/{side_name}")
    assert redis_url.endswith("/14")
    assert not os.environ["REDIS_URL"].endswith("/14")
