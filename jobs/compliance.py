"""Compliance jobs: the automatic KYC and KYB checks, re-screening after a list update, transaction
monitoring (each entry, and a daily batch), the daily expiry of identity documents, and the daily
anonymisation of people closed longer ago than the retention period."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from saq.types import Context

from jobs.context import job_services
from jobs.ticks import once_per_tick
from ompay.domain.monitoring import Figures
from ompay.models import OutboxMessage
from ompay.services.compliance.expiry import ExpiryRun
from ompay.services.container import Services


async def run_kyc_checks(services: Services, message: OutboxMessage) -> None:
    await services.kyc_check_service.run(UUID(message.payload["submission_id"]))


async def run_kyb_checks(services: Services, message: OutboxMessage) -> None:
    await services.kyb_service.run(UUID(message.payload["merchant_id"]))


async def schedule_rescreening(services: Services, message: OutboxMessage) -> None:
    """A list was imported: everyone will be screened again against the lists then in force."""
    await services.rescreening_service.schedule()


async def rescreen_everyone(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await services.rescreening_service.run()


async def evaluate_entry(services: Services, message: OutboxMessage) -> None:
    await services.monitoring_service.evaluate_entry(UUID(message.payload["entry_id"]))


async def record_velocity_alert(ctx: Context, *, user_id: str, version: int, figures: Figures) -> str:
    """A burst counted inline on the money routes (TM-04): recorded and filed like any decision."""
    async with job_services(ctx) as services:
        decision = await services.monitoring_service.record_velocity(UUID(user_id), version, figures)
        return decision.outcome.value


@once_per_tick
async def evaluate_windowed_rules(ctx: Context) -> int:
    """The daily batch: everyone active in the last day, merchants and agents included."""
    async with job_services(ctx) as services:
        return await services.monitoring_service.evaluate_daily(datetime.now(UTC))


@once_per_tick
async def expire_kyc_documents(ctx: Context) -> ExpiryRun:
    async with job_services(ctx) as services:
        return await services.kyc_expiry_service.run(datetime.now(UTC).date())


@once_per_tick
async def anonymise_closed_users(ctx: Context) -> int:
    async with job_services(ctx) as services:
        return await services.retention_service.anonymise_due()
