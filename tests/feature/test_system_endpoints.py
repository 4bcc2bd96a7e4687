"""Probes, metrics, OpenAPI and offline docs, CORS and the coarse rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from httpx import AsyncClient
from litestar import Litestar, get
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import HealthSettings
from ompay.domain.actors import Actor
from ompay.lib.metrics import AUDIT_CHAIN_INTACT
from ompay.lib.queue import JobDispatcher
from ompay.services.audit import AuditService
from ompay.services.health import HealthService
from tests import support


@contextmanager
def redis_down(app: Litestar) -> Iterator[None]:
    saved = app.state.platform
    app.state.platform = replace(
        saved,
        redis=Redis.from_url(support.DEAD_REDIS_URL, socket_connect_timeout=0.2),
        dispatcher=JobDispatcher(support.dead_queues()),
    )
    try:
        yield
    finally:
        app.state.platform = saved


async def test_liveness_checks_nothing_but_the_process(client: AsyncClient, app: Litestar) -> None:
    with redis_down(app):
        response = await client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})


async def test_readiness_reports_every_component(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "migrations", "outbox", "audit_chain", "redis", "queue"}
    assert body["checks"]["audit_chain"] == {"status": "ok", "detail": "not verified yet"}


async def test_readiness_is_503_naming_redis_when_redis_is_down(client: AsyncClient, app: Litestar) -> None:
    with redis_down(app):
        response = await client.get("/health/ready")
        legacy = await client.get("/health")
    assert response.status_code == 503
    assert set(response.json()["failing"]) == {"redis", "queue"}
    assert legacy.status_code == 503
    assert legacy.json()["services"] == {"database": "ok", "redis": "fail", "queue": "fail"}
    assert legacy.json()["status"] == "unhealthy"


async def test_readiness_is_503_when_migrations_are_not_at_head(
    client: AsyncClient, session: AsyncSession
) -> None:
    head = await session.scalar(text("SELECT version_num FROM alembic_version"))
    await session.execute(text("UPDATE alembic_version SET version_num = 'stale'"))
    await session.commit()
    try:
        response = await client.get("/health/ready")
    finally:
        await session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        await session.commit()
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


async def _outbox_rows_waiting(session: AsyncSession, count: int) -> None:
    await session.execute(
        text(
            "INSERT INTO outbox (id, topic, queue) "
            "SELECT gen_random_uuid(), 't', 'notifications' FROM generate_series(1, :count)"
        ),
        {"count": count},
    )
    await session.commit()


async def test_readiness_fails_when_the_outbox_backlog_is_over_its_threshold(
    session: AsyncSession, redis: Redis
) -> None:
    await _outbox_rows_waiting(session, 3)
    health = HealthService(
        session, redis, JobDispatcher(support.queues()), HealthSettings(max_outbox_backlog=2)
    )
    checks = {check.name: check for check in await health.readiness()}
    assert not checks["outbox"].ok
    assert "3 messages waiting" in checks["outbox"].detail


async def test_legacy_health_has_the_laravel_shape(client: AsyncClient) -> None:
    body = (await client.get("/health")).json()
    assert set(body) == {"status", "timestamp", "services"}
    assert body["services"] == {"database": "ok", "redis": "ok", "queue": "ok"}


async def _sample(client: AsyncClient, name: str, **labels: str) -> float:
    """One sample's value from /metrics (0 when the series does not exist yet)."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    families = text_string_to_metric_families(response.text)
    samples = (sample for family in families for sample in family.samples)
    return next((sample.value for sample in samples if (sample.name, sample.labels) == (name, labels)), 0.0)


async def test_metrics_count_requests_by_route_template(client: AsyncClient) -> None:
    count = "ompay_http_request_duration_seconds_count"
    labels = {"method": "GET", "route": "/pay/{request_id}/status", "status": "404"}
    before = await _sample(client, count, **labels)
    for request_id in ("a", "b", "c"):
        await client.get(f"/pay/{request_id}/status")
    assert await _sample(client, count, **labels) == before + 3


async def test_metrics_report_the_outbox_backlog_readiness_saw(
    client: AsyncClient, session: AsyncSession
) -> None:
    await _outbox_rows_waiting(session, 3)
    await client.get("/health/ready")
    assert await _sample(client, "ompay_outbox_backlog") == 3


async def test_readiness_and_metrics_report_the_last_audit_chain_verification(
    client: AsyncClient, session: AsyncSession
) -> None:
    audit = AuditService(session)
    for index in range(3):
        audit.record("user.login", Actor("user", f"u-{index}"))
    await session.commit()
    await audit.seal_and_verify()
    intact = (await client.get("/health/ready")).json()["checks"]["audit_chain"]
    assert intact["status"] == "ok"
    assert intact["detail"].startswith("intact at seq 3, verified ")
    assert await _sample(client, "ompay_audit_chain_intact") == 1
    await support.execute_sql(
        "SET session_replication_role = replica",
        "UPDATE audit_events SET action = 'nothing.happened' WHERE chain_seq = 2",
    )
    await audit.seal_and_verify()
    AUDIT_CHAIN_INTACT.set(1)  # as in an API process, which never verified the chain itself
    response = await client.get("/health/ready")
    assert (response.status_code, response.json()["failing"]) == (200, [])
    broken = response.json()["checks"]["audit_chain"]
    assert broken["status"] == "fail"
    assert broken["detail"].startswith("broken at seq 2, verified ")
    assert await _sample(client, "ompay_audit_chain_intact") == 0
    assert (await client.get("/health")).json()["status"] == "healthy"


async def test_openapi_is_3_1_and_documents_the_probes(client: AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["openapi"].startswith("3.1")
    assert "/health/ready" in schema["paths"]


async def test_docs_work_without_internet(client: AsyncClient) -> None:
    redirect = await client.get("/docs")
    assert redirect.status_code == 302
    page = await client.get(redirect.headers["location"])
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text
    assert "unpkg" not in page.text
    asset = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert len(asset.content) > 100_000


@get("/api/v1/_limited", opt={"exclude_from_auth": True})
async def limited_v1() -> str:
    return "ok"


@get("/api/_limited", opt={"exclude_from_auth": True})
async def limited_legacy() -> str:
    return "ok"


async def test_the_coarse_rate_limit_answers_429_but_spares_probes() -> None:
    routes = (limited_v1, limited_legacy)
    async with support.app_with_env(routes, RATE_LIMIT_PER_MINUTE="2") as client:
        statuses = [(await client.get("/api/v1/_limited")).status_code for _ in range(3)]
        limited = await client.get("/api/_limited")
        probes = [(await client.get("/health/live")).status_code for _ in range(5)]
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert limited.json()["success"] is False
    assert int(limited.headers["retry-after"]) > 0
    assert "ratelimit-limit" in limited.headers
    assert probes == [200] * 5


async def test_cors_allows_only_configured_origins() -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    async with support.app_with_env(CORS_ALLOW_ORIGINS="https://shop.example.sn") as client:
        allowed = await client.options(
            "/api/v1/x", headers={"Origin": "https://shop.example.sn", **preflight}
        )
        refused = await client.options("/api/v1/x", headers={"Origin": "https://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example.sn"
    assert "access-control-allow-origin" not in refused.headers
