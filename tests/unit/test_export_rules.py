"""Export periods in Dakar time, which are due when, and how rows become bytes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ompay.domain.errors import ValidationFailed
from ompay.domain.export_format import csv_lines, json_lines
from ompay.domain.exports import (
    Cadence,
    ExportType,
    day,
    due_periods,
    month,
    parse_period,
    period_of,
    quarter,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_periods_are_half_open_and_named_as_operators_type_them() -> None:
    assert day(date(2026, 11, 27)).start == at("2026-11-27T00:00")
    assert day(date(2026, 11, 27)).end == at("2026-11-28T00:00")
    assert month(2026, 12).end == at("2027-01-01T00:00")
    assert quarter(2026, 4).start == at("2026-10-01T00:00")
    assert quarter(2026, 4).label == "2026-Q4"
    assert parse_period(ExportType.EMONEY_STATISTICS, "2026-02").end == at("2026-03-01T00:00")
    assert parse_period(ExportType.FREEZE_REPORT, "2026-11-27") == day(date(2026, 11, 27))


@pytest.mark.parametrize(
    ("export_type", "label"),
    [
        (ExportType.TRANSACTION_JOURNAL, "2026-11"),
        (ExportType.TRANSACTION_JOURNAL, "2026-02-29"),
        (ExportType.EMONEY_STATISTICS, "2026-00"),
        (ExportType.COMPLIANCE_PACK, "2026-Q5"),
        (ExportType.COMPLIANCE_PACK, "2026-11"),
        (ExportType.MERCHANT_SETTLEMENT, "2026-11-27\x00"),
    ],
)
def test_a_wrong_period_names_the_field(export_type: ExportType, label: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_period(export_type, label)
    assert refused.value.errors[0].field == "period"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_every_moment_lies_in_exactly_its_period(moment: datetime) -> None:
    for cadence in (Cadence.DAILY, Cadence.MONTHLY, Cadence.QUARTERLY):
        period = period_of(cadence, moment)
        assert period.start <= moment < period.end
        assert period_of(cadence, period.end) != period
        assert period_of(cadence, period.end).start == period.end


def test_a_daily_export_is_due_at_its_hour_and_missed_days_are_caught_up() -> None:
    journal = ExportType.TRANSACTION_JOURNAL
    assert due_periods(journal, at("2026-11-28T00:59"), at("2026-11-27T05:00")) == []
    assert [p.label for p in due_periods(journal, at("2026-11-28T01:00"), at("2026-11-27T05:00"))] == [
        "2026-11-27"
    ]
    caught_up = due_periods(journal, at("2026-11-30T01:30"), at("2026-11-26T23:00"))
    assert [p.label for p in caught_up] == ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    dte = ExportType.CASH_TRANSACTION_REPORT
    assert [p.label for p in due_periods(dte, at("2026-11-30T01:30"), at("2026-11-29T10:00"))] == []
    pack = ExportType.COMPLIANCE_PACK
    assert [p.label for p in due_periods(pack, at("2027-01-01T04:00"), at("2026-12-15T00:00"))] == ["2026-Q4"]


def test_rows_become_the_same_csv_and_json_lines_every_time() -> None:
    row = (
        at("2026-11-27T09:00"),
        UUID(int=1),
        Decimal("16000000"),
        Decimal("0.5000"),
        None,
        True,
        "Ndiaye, Awa",
        date(1990, 4, 2),
    )
    assert csv_lines([row]) == (
        b"2026-11-27T09:00:00.000000+00:00,00000000-0000-0000-0000-000000000001,16000000,0.5000,,true,"
        b'"Ndiaye, Awa",1990-04-02\n'
    )
    columns = ("at", "id", "total", "rate", "missing", "flag", "name", "born")
    assert json_lines(columns, [row]) == (
        b'{"at":"2026-11-27T09:00:00.000000+00:00","id":"00000000-0000-0000-0000-000000000001",'
        b'"total":16000000,"rate":"0.5000","missing":null,"flag":true,"name":"Ndiaye, Awa",'
        b'"born":"1990-04-02"}\n'
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("+221770000011", "+221770000011"),
        ("-5000", "-5000"),
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_is_defused(text: str, written: str) -> None:
    assert next(csv.reader(io.StringIO(csv_lines([(text,)]).decode()))) == [written]
