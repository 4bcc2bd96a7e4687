"""Sanctions, PEP and watch lists as versioned data: each import is a new version of its list."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import Timestamp, UUIDv7Base


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
