"""How an export's rows become bytes: the same rows always give the same bytes.

CSV is RFC 4180 with `\\n` line ends and a header line; JSON Lines is one object per row with
the columns in header order. Timestamps are ISO 8601 in Africa/Dakar time, amounts whole francs,
missing values empty (CSV) or null (JSON). A CSV text cell that a spreadsheet would run as a
formula (`=`, `+`, `-`, `@`, tab, CR, unless it is a plain number) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from ompay.domain.calendar import DAKAR

Row = Sequence[Any]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+")
"""A phone number (`+221…`) or a signed amount is data, not a formula: written as it is."""
_json = msgspec.json.Encoder()


def cell(value: Any) -> Any:
    """A value as both formats write it (JSON keeps numbers, booleans and null). Sums arrive as
    decimals: whole ones are written as integers, never in exponent notation."""
    if isinstance(value, datetime):
        return value.astimezone(DAKAR).isoformat(timespec="microseconds")
    if isinstance(value, date | UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else format(value, "f")
    return value


def _csv_cell(value: Any) -> Any:
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if isinstance(value, list | dict):
        return _json.encode(value).decode()
    return value


def csv_lines(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def json_lines(columns: Sequence[str], rows: Iterable[Row]) -> bytes:
    return b"".join(
        _json.encode(dict(zip(columns, [cell(value) for value in row], strict=True))) + b"\n" for row in rows
    )


@dataclass(frozen=True, slots=True)
class FileDigest:
    name: str
    rows: int
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ManifestHeader:
    """Fixed at the first generation of an export, so a rerun writes the same manifest."""

    export_type: str
    period: str
    subject: str
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    generator_version: str
    audit_chain_seq: int
    audit_chain_head: str


def manifest(header: ManifestHeader, files: Sequence[FileDigest]) -> bytes:
    body = {
        "type": header.export_type,
        "period": header.period,
        "subject": header.subject or None,
        "period_start": cell(header.period_start),
        "period_end": cell(header.period_end),
        "generated_at": cell(header.generated_at),
        "generator_version": header.generator_version,
        "audit_chain": {"seq": header.audit_chain_seq, "head": header.audit_chain_head},
        "files": [
            {"name": file.name, "rows": file.rows, "size": file.size, "sha256": file.sha256} for file in files
        ],
    }
    return msgspec.json.format(_json.encode(body), indent=2) + b"\n"
