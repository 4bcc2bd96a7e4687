"""Compliance jobs: the automatic checks on each KYC submission."""

from __future__ import annotations

from uuid import UUID

from ompay.models import OutboxMessage
from ompay.services.container import Services


async def run_kyc_checks(services: Services, message: OutboxMessage) -> None:
    await services.kyc_check_service.run(UUID(message.payload["submission_id"]))
