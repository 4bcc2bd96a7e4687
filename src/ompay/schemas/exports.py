"""Exports as officers and merchants see them, and an officer's request to run one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

import msgspec

from ompay.domain.exports import ExportType
from ompay.models import Export, ExportStatus
from ompay.schemas.fields import TEXT_PATTERN, RequestBody
from ompay.services.exports.access import ExportAsk

PeriodLabel = Annotated[
    str, msgspec.Meta(max_length=10, pattern=TEXT_PATTERN, examples=["2026-11-28", "2026-11", "2026-Q4"])
]
MerchantCode = Annotated[str, msgspec.Meta(max_length=11, pattern=TEXT_PATTERN, examples=["MCH7K2P9QXA"])]


class ExportRunRequest(RequestBody, frozen=True):
    type: ExportType
    period: PeriodLabel | None = None
    """A finished day (`YYYY-MM-DD`), month (`YYYY-MM`) or quarter (`YYYY-Qn`), as the type is made."""
    merchant: MerchantCode | None = None
    """The merchant code, for a merchant settlement."""
    subject: UUID | None = None
    """The case (suspicious transaction report) or freeze (freeze report) the report is about."""

    def ask(self) -> ExportAsk:
        return ExportAsk(self.type, self.period, self.merchant, self.subject)


class ExportFileResource(msgspec.Struct, frozen=True):
    name: str
    rows: int
    size: int
    sha256: str

    @classmethod
    def of(cls, record: dict[str, Any]) -> Self:
        return cls(record["name"], record["rows"], record["size"], record["sha256"])


class SettlementReportResource(msgspec.Struct, frozen=True):
    """What a merchant sees of its daily settlement report."""

    id: UUID
    period: str
    period_start: datetime
    period_end: datetime
    status: ExportStatus
    files: list[ExportFileResource]

    @classmethod
    def of(cls, export: Export) -> Self:
        return cls(
            export.id,
            export.period,
            export.period_start,
            export.period_end,
            export.status,
            [ExportFileResource.of(record) for record in export.files],
        )


class ExportResource(msgspec.Struct, frozen=True):
    """An export as officers see it: with its manifest header and the last error, if any."""

    id: UUID
    type: ExportType
    period: str
    subject: str
    period_start: datetime
    period_end: datetime
    status: ExportStatus
    requested_by: str
    generated_at: datetime | None
    generations: int
    generator_version: str | None
    audit_chain_seq: int | None
    audit_chain_head: str | None
    last_error: str | None
    files: list[ExportFileResource]
    created_at: datetime

    @classmethod
    def of(cls, export: Export) -> Self:
        fields = {name: getattr(export, name) for name in cls.__struct_fields__ if name != "files"}
        return cls(**fields, files=[ExportFileResource.of(record) for record in export.files])
