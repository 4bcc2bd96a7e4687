"""Tier limit versions (back office)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from ompay.models import KycTier
from ompay.schemas.fields import RequestBody
from ompay.schemas.resources import Resource
from ompay.services.compliance.tiers import LimitVersion

LimitAmount = (
    Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000_000, description="Whole XOF; null for no limit")]
    | None
)


class LimitVersionRequest(RequestBody, frozen=True):
    tier: KycTier
    max_balance: LimitAmount
    max_monthly_credits: LimitAmount
    max_per_transaction: LimitAmount
    effective_from: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    """When the version takes effect (now when omitted); never in the past."""

    def version(self) -> LimitVersion:
        return LimitVersion(
            self.tier,
            self.max_balance,
            self.max_monthly_credits,
            self.max_per_transaction,
            self.effective_from,
        )


class LimitVersionResource(Resource, frozen=True):
    tier: KycTier
    version: int
    max_balance: int | None
    max_monthly_credits: int | None
    max_per_transaction: int | None
    effective_from: datetime
    created_by: str
    created_at: datetime
