"""Sanctions, PEP and watch lists as versioned data: each import is a new version of its list."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import JsonObject, OptionalTimestamp, Timestamp, UUIDv7Base
from ompay.models.enums import ScreeningHitStatus, ScreeningOutcome, ScreeningTrigger, string_enum


class ScreeningListVersion(UUIDv7Base):
    """One imported file of a list (`un`, `opensanctions`, a national list, `internal`), kept as it
    was read so that any past screening can be replayed against the versions it used."""

    __tablename__ = "screening_list_versions"
    __table_args__ = (
        UniqueConstraint("list_name", "version", name="uq_screening_list_versions_version"),
        UniqueConstraint("list_name", "sha256", name="uq_screening_list_versions_sha256"),
    )

    list_name: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    list_format: Mapped[str] = mapped_column(String(12))
    sha256: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int]
    imported_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]


class ScreeningEntry(UUIDv7Base):
    """A listed party of one list version, with its names normalised and blocking keys indexed."""

    __tablename__ = "screening_entries"
    __table_args__ = (Index("ix_screening_entries_blocking_keys", "blocking_keys", postgresql_using="gin"),)

    list_version_id: Mapped[UUID] = mapped_column(ForeignKey("screening_list_versions.id"), index=True)
    reference: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12))
    names: Mapped[list[str]] = mapped_column(ARRAY(Text))
    blocking_keys: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    birth_dates: Mapped[list[date]] = mapped_column(ARRAY(Date))
    id_numbers: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    topics: Mapped[list[str]] = mapped_column(ARRAY(String(40)))


class ScreeningQuery(UUIDv7Base):
    """One screening of one subject, append-only: what was asked, against which list versions,
    the candidates with their scores and explanations, and the outcome. Enough to replay it."""

    __tablename__ = "screening_queries"

    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[UUID]
    trigger: Mapped[ScreeningTrigger] = mapped_column(string_enum(ScreeningTrigger, "screening_trigger"))
    subject: Mapped[JsonObject]
    list_version_ids: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid))
    threshold: Mapped[float] = mapped_column(Float)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    outcome: Mapped[ScreeningOutcome] = mapped_column(string_enum(ScreeningOutcome, "screening_outcome"))
    created_at: Mapped[Timestamp]


class ScreeningHit(UUIDv7Base):
    """A query whose outcome needs an officer: open until confirmed (freeze) or dismissed."""

    __tablename__ = "screening_hits"
    __table_args__ = (Index("ix_screening_hits_queue", "status", "created_at"),)

    query_id: Mapped[UUID] = mapped_column(ForeignKey("screening_queries.id"), unique=True)
    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    status: Mapped[ScreeningHitStatus] = mapped_column(
        string_enum(ScreeningHitStatus, "screening_hit_status")
    )
    score: Mapped[float] = mapped_column(Float)
    exact_id: Mapped[bool]
    list_name: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(80))
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[OptionalTimestamp]
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[Timestamp]
