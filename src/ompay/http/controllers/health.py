"""Probes for load balancers and Kubernetes, the legacy `/health`, and Prometheus metrics."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy.exc import SQLAlchemyError

from ompay.lib.metrics import CONTENT_TYPE, render_latest
from ompay.schemas.health import (
    ComponentState,
    ComponentStatus,
    LegacyHealth,
    LegacyServices,
    Liveness,
    Readiness,
)
from ompay.services.compliance.cases import CaseService
from ompay.services.health import ComponentCheck, HealthService

PROBE_OPTS = {"exclude_from_auth": True, "exclude_from_rate_limit": True}


def _state(ok: bool) -> ComponentState:
    return "ok" if ok else "fail"


class HealthController(Controller):
    tags = ["Health"]
    opt = PROBE_OPTS

    @get("/health/live", summary="Liveness: the process is up (no dependency checks)")
    async def live(self) -> Liveness:
        return Liveness()

    @get(
        "/health/ready",
        summary="Readiness: database, Redis, migrations, outbox and queues; the audit chain reported",
        responses={503: ResponseSpec(Readiness, description="Not ready: `failing` names the checks")},
    )
    async def ready(self, health_service: NamedDependency[HealthService]) -> Response[Readiness]:
        checks = await health_service.readiness()
        failing = [check.name for check in checks if check.blocks_traffic]
        body = Readiness(
            status="unavailable" if failing else "ready",
            failing=failing,
            checks={check.name: ComponentStatus(_state(check.ok), check.detail) for check in checks},
        )
        return Response(body, status_code=503 if failing else 200)

    @get(
        "/health",
        summary="Legacy health shape of the Laravel app",
        responses={503: ResponseSpec(LegacyHealth, description="A dependency is down")},
    )
    async def legacy_health(self, health_service: NamedDependency[HealthService]) -> Response[LegacyHealth]:
        checks = {check.name: check for check in await health_service.readiness()}
        services = LegacyServices(
            database=_state(_all_ok(checks, "database", "migrations")),
            redis=_state(_all_ok(checks, "redis")),
            queue=_state(_all_ok(checks, "queue", "outbox")),
        )
        healthy = not any(check.blocks_traffic for check in checks.values())
        body = LegacyHealth("healthy" if healthy else "unhealthy", datetime.now(UTC), services)
        return Response(body, status_code=200 if healthy else 503)

    @get("/metrics", summary="Prometheus metrics", media_type=MediaType.TEXT, include_in_schema=False)
    async def metrics(self, case_service: NamedDependency[CaseService]) -> Response[bytes]:
        with suppress(SQLAlchemyError, OSError):  # metrics still render while the database is down
            await case_service.refresh_overdue()
        return Response(render_latest(), media_type=CONTENT_TYPE)


def _all_ok(checks: dict[str, ComponentCheck], *names: str) -> bool:
    return all(checks[name].ok for name in names)
