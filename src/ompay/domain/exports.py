"""The regulatory and settlement exports (COMPLIANCE.md "Scheduled exports"): their periods in
Africa/Dakar time, which periods are due, and how an operator names one (`2026-11-28`, `2026-11`,
`2026-Q4`).

A period is what makes an export idempotent: one export per (type, period, subject), and a rerun
reads the same rows in the same order, so it writes the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ompay.domain.calendar import DAKAR
from ompay.domain.errors import invalid_field

GENERATOR_VERSION = "ompay-exports/1"
"""Bumped whenever a file's columns or formatting change: the manifest says which bytes to expect."""


class ExportType(StrEnum):
    TRANSACTION_JOURNAL = "transaction_journal"
    CASH_TRANSACTION_REPORT = "cash_transaction_report"
    SUSPICIOUS_TRANSACTION_REPORT = "suspicious_transaction_report"
    FREEZE_REPORT = "freeze_report"
    EMONEY_STATISTICS = "emoney_statistics"
    COMPLIANCE_PACK = "compliance_pack"
    MERCHANT_SETTLEMENT = "merchant_settlement"


class Cadence(StrEnum):
    DAILY = "daily"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ON_EVENT = "on_event"
    """Filed when something happens (an STR decision, a freeze); its period is that day."""


CADENCES: dict[ExportType, Cadence] = {
    ExportType.TRANSACTION_JOURNAL: Cadence.DAILY,
    ExportType.CASH_TRANSACTION_REPORT: Cadence.DAILY,
    ExportType.SUSPICIOUS_TRANSACTION_REPORT: Cadence.ON_EVENT,
    ExportType.FREEZE_REPORT: Cadence.ON_EVENT,
    ExportType.EMONEY_STATISTICS: Cadence.MONTHLY,
    ExportType.COMPLIANCE_PACK: Cadence.QUARTERLY,
    ExportType.MERCHANT_SETTLEMENT: Cadence.DAILY,
}

DUE_AT: dict[ExportType, time] = {
    ExportType.TRANSACTION_JOURNAL: time(1, 0),
    ExportType.CASH_TRANSACTION_REPORT: time(2, 0),
    ExportType.MERCHANT_SETTLEMENT: time(1, 30),
    ExportType.EMONEY_STATISTICS: time(3, 0),
    ExportType.COMPLIANCE_PACK: time(4, 0),
}
"""Local time on the first day after the period at which a scheduled export is due."""

SCHEDULED = tuple(DUE_AT)
PER_MERCHANT = frozenset({ExportType.MERCHANT_SETTLEMENT})
"""Exports made once per merchant; the others once for the whole platform."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """`[start, end)` in Dakar time, named by its label."""

    start: datetime
    end: datetime
    label: str

    @property
    def due_day(self) -> date:
        return self.end.astimezone(DAKAR).date()


def day(on: date) -> Period:
    start = datetime.combine(on, time(), DAKAR)
    return Period(start, start + timedelta(days=1), on.isoformat())


def month(year: int, number: int) -> Period:
    start = datetime(year, number, 1, tzinfo=DAKAR)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=DAKAR)
    return Period(start, end, f"{year:04d}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    last = month(year, 3 * number)
    return Period(first.start, last.end, f"{year:04d}-Q{number}")


def period_of(cadence: Cadence, moment: datetime) -> Period:
    """The period of this cadence that contains `moment`."""
    local = moment.astimezone(DAKAR)
    if cadence == Cadence.MONTHLY:
        return month(local.year, local.month)
    if cadence == Cadence.QUARTERLY:
        return quarter(local.year, (local.month - 1) // 3 + 1)
    return day(local.date())


_LABELS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), Cadence.DAILY),
    (re.compile(r"(\d{4})-(\d{2})"), Cadence.MONTHLY),
    (re.compile(r"(\d{4})-Q([1-4])"), Cadence.QUARTERLY),
)


def parse_period(export_type: ExportType, label: str) -> Period:
    """An operator's period: a day for daily and event exports, `YYYY-MM` monthly, `YYYY-Qn` quarterly."""
    wanted = CADENCES[export_type]
    wanted = Cadence.DAILY if wanted == Cadence.ON_EVENT else wanted
    for pattern, cadence in _LABELS:
        if (found := pattern.fullmatch(label)) and cadence == wanted:
            try:
                return _period(cadence, [int(part) for part in found.groups()])
            except ValueError:
                break
    examples = {Cadence.DAILY: "2026-11-28", Cadence.MONTHLY: "2026-11", Cadence.QUARTERLY: "2026-Q4"}
    raise invalid_field(
        "period",
        f"Période attendue au format {examples[wanted]}.",
        f"Expected a period like {examples[wanted]}.",
    )


def _period(cadence: Cadence, parts: list[int]) -> Period:
    if cadence == Cadence.DAILY:
        return day(date(parts[0], parts[1], parts[2]))
    if cadence == Cadence.MONTHLY:
        if not 1 <= parts[1] <= 12:
            raise ValueError(parts[1])
        return month(parts[0], parts[1])
    return quarter(parts[0], parts[1])


def is_closed(period: Period, now: datetime) -> bool:
    """Only a finished period can be exported: its rows no longer change."""
    return period.end <= now


def due_periods(export_type: ExportType, now: datetime, since: datetime) -> list[Period]:
    """Every period of a scheduled export whose due time has passed, from the one containing
    `since` (the catch-up horizon) on: a worker that was down at the due time catches up."""
    cadence = CADENCES[export_type]
    due = []
    period = period_of(cadence, since)
    while period.end <= now:
        if datetime.combine(period.due_day, DUE_AT[export_type], DAKAR) <= now:
            due.append(period)
        period = period_of(cadence, period.end)
    return due
