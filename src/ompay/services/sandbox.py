"""Sandbox helpers for integrators and black-box tests (never mounted in production)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ompay.models import SandboxSms
from ompay.repositories.auth import SandboxSmsRepository


class SandboxService:
    def __init__(self, session: AsyncSession) -> None:
        self.messages = SandboxSmsRepository(session=session)

    async def sms_for(self, phone: str) -> Sequence[SandboxSms]:
        """Sandbox only: integrators read the OTPs the sandbox driver did not send."""
        return await self.messages.latest_for(phone)
