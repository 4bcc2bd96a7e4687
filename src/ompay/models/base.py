"""Shared column types for models; every table gets a UUIDv7 primary key from advanced-alchemy."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base, orm_registry
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import mapped_column
from uuid_utils.compat import uuid7

Timestamp = Annotated[datetime, mapped_column(DateTimeUTC(timezone=True), server_default=func.now())]
RequiredTimestamp = Annotated[datetime, mapped_column(DateTimeUTC(timezone=True))]
OptionalTimestamp = Annotated[datetime | None, mapped_column(DateTimeUTC(timezone=True), nullable=True)]
JsonObject = Annotated[dict[str, Any], mapped_column(JSONB, nullable=False, server_default="{}")]

metadata = orm_registry.metadata


def new_id() -> UUID:
    """A UUIDv7 assigned before the INSERT, for rows referenced before they are flushed."""
    generated: UUID = uuid7()
    return generated


__all__ = [
    "JsonObject",
    "OptionalTimestamp",
    "RequiredTimestamp",
    "Timestamp",
    "UUIDv7AuditBase",
    "UUIDv7Base",
    "metadata",
    "new_id",
]
