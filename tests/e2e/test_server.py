"""The real server process, as `ompay run` starts it, answers over HTTP and stops cleanly."""

from __future__ import annotations

import os
import signal

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests import support
from tests.e2e.conftest import OMPAY, running, wait_for

pytestmark = pytest.mark.e2e


def test_ompay_run_serves_probes_docs_metrics_and_errors() -> None:
    port = support.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PORT": str(port),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    with running([OMPAY, "run"], env) as server:
        wait_for(f"{base}/health/live")
        ready = httpx.get(f"{base}/health/ready", headers={"X-Request-Id": "e2e-ready-1"})
        assert ready.status_code == 200, ready.text
        assert ready.headers["x-request-id"] == "e2e-ready-1"

        metrics = text_string_to_metric_families(httpx.get(f"{base}/metrics").text)
        ready_count = {"method": "GET", "route": "/health/ready", "status": "200"}
        counts = [
            sample.value
            for family in metrics
            for sample in family.samples
            if (sample.name, sample.labels) == ("ompay_http_request_duration_seconds_count", ready_count)
        ]
        assert counts == [1.0], "the one readiness call, counted by this fresh server"
        docs = httpx.get(f"{base}/docs", follow_redirects=True)
        assert docs.status_code == 200
        assert "swagger-ui-bundle.js" in docs.text
        assert httpx.get(f"{base}/schema/openapi.json").json()["openapi"].startswith("3.1")

        v1 = httpx.get(f"{base}/api/v1/does-not-exist")
        assert v1.status_code == 404
        assert v1.headers["content-type"].startswith("application/problem+json")
        assert v1.json()["request_id"] == v1.headers["x-request-id"]

        legacy = httpx.get(f"{base}/api/does-not-exist")
        assert (legacy.status_code, legacy.json()) == (
            404,
            {"success": False, "message": "Ressource non trouvée", "errors": None},
        )

        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(30) == 0
