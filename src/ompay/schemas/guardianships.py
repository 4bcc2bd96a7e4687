"""A guardian's view of the minors linked to them, and their approval."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from ompay.models import GuardianshipStatus
from ompay.schemas.fields import Pin, RequestBody
from ompay.services.compliance.guardianship import GuardianLink


class GuardianshipResource(msgspec.Struct, frozen=True):
    id: UUID
    minor_name: str
    status: GuardianshipStatus
    created_at: datetime
    approved_at: datetime | None

    @classmethod
    def of(cls, link: GuardianLink) -> GuardianshipResource:
        row = link.guardianship
        return cls(row.id, link.minor_name, row.status, row.created_at, row.approved_at)


class GuardianApprovalRequest(RequestBody, frozen=True):
    pin: Pin
