"""Audit jobs: seal new events into the hash chain; verify the whole chain daily."""

from __future__ import annotations

from saq.types import Context

from jobs.context import job_services
from jobs.ticks import once_per_tick


@once_per_tick
async def seal_audit_events(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await services.uow.audit.seal_pending()


@once_per_tick
async def verify_audit_chain(ctx: Context) -> bool:
    async with job_services(ctx) as services:
        return (await services.uow.audit.seal_and_verify()).intact
