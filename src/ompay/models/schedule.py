"""Runs of the cron jobs, one row per job and tick."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import RequiredTimestamp, Timestamp, UUIDv7Base


class ScheduledJobRun(UUIDv7Base):
    """Every worker's scheduler enqueues each tick; the first run to insert its row runs it."""

    __tablename__ = "scheduled_job_runs"
    __table_args__ = (UniqueConstraint("function", "scheduled_at"),)

    function: Mapped[str] = mapped_column(String(100))
    scheduled_at: Mapped[RequiredTimestamp]
    started_at: Mapped[Timestamp]
