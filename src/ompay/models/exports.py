"""Generated exports: one row per (type, period, subject), the files it wrote and their digests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ompay.domain.exports import ExportType
from ompay.models.base import OptionalTimestamp, RequiredTimestamp, Timestamp, UUIDv7Base
from ompay.models.enums import ExportStatus, string_enum


class Export(UUIDv7Base):
    """The record of an export. The first generation fixes the manifest's header (when, and the
    audit chain head then); a rerun rewrites the same files under the same names."""

    __tablename__ = "exports"
    __table_args__ = (UniqueConstraint("type", "period", "subject"),)

    type: Mapped[ExportType] = mapped_column(string_enum(ExportType, "export_type"))
    period: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """The merchant, case or freeze an export is about; empty for platform-wide exports."""
    merchant_id: Mapped[UUID | None] = mapped_column(ForeignKey("merchants.id"), nullable=True, index=True)
    period_start: Mapped[RequiredTimestamp]
    period_end: Mapped[RequiredTimestamp]
    status: Mapped[ExportStatus] = mapped_column(string_enum(ExportStatus, "export_status"))
    requested_by: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[OptionalTimestamp]
    audit_chain_seq: Mapped[int | None] = mapped_column(nullable=True)
    audit_chain_head: Mapped[str | None] = mapped_column(String(64), nullable=True)
    generator_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    """Each file: name, object key, rows, size, sha256, key version (the manifest is the last)."""
    generations: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[Timestamp]
