"""The screening hook of the KYC checks: sanctions and PEP lists plug in here (the AML issue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ompay.domain.kyc import CheckResult
from ompay.models import KycCheckOutcome


@dataclass(frozen=True, slots=True)
class ScreeningSubject:
    first_name: str
    last_name: str
    birth_date: date | None
    document_number: str


class Screening(Protocol):
    async def screen(self, subject: ScreeningSubject) -> CheckResult:
        """The subject against every list in force: a `screening` check result with the hits as facts."""
        ...


class NoScreeningLists:
    """Until lists are loaded, every subject is recorded as not screened (never as passed)."""

    async def screen(self, subject: ScreeningSubject) -> CheckResult:
        """Records that no list was consulted, so an officer knows screening is still owed."""
        return CheckResult("screening", KycCheckOutcome.NOT_SCREENED, {"lists": []})
