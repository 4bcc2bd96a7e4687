"""Worker logs: a periodic job that found nothing to do stays out of the INFO log."""

from __future__ import annotations

import io
import json

from sqlalchemy.ext.asyncio import AsyncSession

from config.logging import configure_logging
from config.settings import LogSettings
from jobs.hooks import after_process, before_process
from ompay.domain.actors import Actor
from ompay.services.audit import AuditService
from tests import support


async def _seal_run() -> None:
    await support.queues()["compliance"].enqueue("seal_audit_events")
    hooks = {"before_process": [before_process], "after_process": [after_process]}
    await support.run_worker_burst("compliance", **hooks)


async def test_an_idle_run_logs_at_debug_and_a_run_that_worked_at_info(session: AsyncSession) -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(level="DEBUG", format="json"), stream=stream)
    try:
        await _seal_run()
        AuditService(session).record("user.login", Actor("user", "u-1"))
        await session.commit()
        await _seal_run()
    finally:
        configure_logging(LogSettings(level="WARNING"))
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    finished = [(event["level"], event["job"]) for event in events if event["event"] == "job finished"]
    assert finished == [("debug", "seal_audit_events"), ("info", "seal_audit_events")]
