"""Transaction monitoring: rule versions, decision records, and the alerts and cases officers work."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import JsonObject, OptionalTimestamp, RequiredTimestamp, Timestamp, UUIDv7Base
from ompay.models.enums import CaseDecision, CaseStatus, MonitoringOutcome, string_enum


class MonitoringRuleVersion(UUIDv7Base):
    """One version of one rule (append-only): a change is a new version, effective now or later."""

    __tablename__ = "monitoring_rules"
    __table_args__ = (
        UniqueConstraint("rule_id", "version", name="uq_monitoring_rules_version"),
        Index("ix_monitoring_rules_in_force", "rule_id", "effective_from"),
    )

    rule_id: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]
    params: Mapped[JsonObject]
    score: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[MonitoringOutcome] = mapped_column(
        string_enum(MonitoringOutcome, "monitoring_rule_outcome")
    )
    effective_from: Mapped[RequiredTimestamp]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]


class MonitoringDecision(UUIDv7Base):
    """One evaluation of one person (append-only): the entry or batch that triggered it, the rule
    versions, each rule's figures and verdict, the total score and the outcome."""

    __tablename__ = "monitoring_decisions"
    __table_args__ = (
        Index(
            "uq_monitoring_decisions_entry",
            "entry_id",
            "person_id",
            unique=True,
            postgresql_where=text("entry_id IS NOT NULL"),
        ),
    )

    entry_id: Mapped[UUID | None] = mapped_column(ForeignKey("journal_entries.id"), nullable=True)
    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(12))
    as_of: Mapped[RequiredTimestamp]
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    score: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[MonitoringOutcome] = mapped_column(string_enum(MonitoringOutcome, "monitoring_outcome"))
    created_at: Mapped[Timestamp]


class ComplianceCase(UUIDv7Base):
    """A person's alerts, worked by an officer to a decision within an SLA; one open case per person."""

    __tablename__ = "compliance_cases"
    __table_args__ = (
        Index(
            "uq_compliance_cases_open",
            "person_id",
            unique=True,
            postgresql_where=text("status <> 'closed'"),
        ),
        Index("ix_compliance_cases_queue", "status", "due_at"),
    )

    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus, "case_status"))
    assigned_to: Mapped[UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    due_at: Mapped[RequiredTimestamp]
    decision: Mapped[CaseDecision | None] = mapped_column(
        string_enum(CaseDecision, "case_decision"), nullable=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[OptionalTimestamp]
    str_report: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    """For `file_str`: what the STR export needs (grounds, the alerts' entries, the officer)."""
    created_at: Mapped[Timestamp]


class Alert(UUIDv7Base):
    """A decision of `review` or above, or a screening hit, filed in the person's case."""

    __tablename__ = "alerts"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("compliance_cases.id"), index=True)
    person_id: Mapped[UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    decision_id: Mapped[UUID | None] = mapped_column(ForeignKey("monitoring_decisions.id"), nullable=True)
    rules: Mapped[list[str]] = mapped_column(JSONB)
    score: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[MonitoringOutcome] = mapped_column(string_enum(MonitoringOutcome, "alert_outcome"))
    created_at: Mapped[Timestamp]


class CaseNote(UUIDv7Base):
    """An officer's note on a case; append-only."""

    __tablename__ = "case_notes"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("compliance_cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Timestamp]
