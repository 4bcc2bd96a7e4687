"""Each export of the fixed world matches its golden files byte for byte, its manifest's digests
verify, and a rerun writes exactly the same bytes. `OMPAY_WRITE_GOLDEN=1` rewrites the golden
files (then read the diff before committing it)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.actors import Actor
from ompay.domain.exports import ExportType, day, month, quarter
from ompay.models import Export
from ompay.services.exports.files import stored_file
from ompay.services.exports.requests import ExportOrder
from tests import support
from tests.exports import world

GOLDEN = Path(__file__).parent.parent / "fixtures" / "exports"
TESTER = Actor.system("test")

ORDERS = {
    "journal": ExportOrder(ExportType.TRANSACTION_JOURNAL, day(world.DAY)),
    "dte": ExportOrder(ExportType.CASH_TRANSACTION_REPORT, day(world.DAY)),
    "settlement": ExportOrder(
        ExportType.MERCHANT_SETTLEMENT, day(world.DAY), world.MERCHANT_ID, UUID(world.MERCHANT_ID)
    ),
    "str": ExportOrder(ExportType.SUSPICIOUS_TRANSACTION_REPORT, day(world.DAY), world.CASE_ID),
    "freeze": ExportOrder(ExportType.FREEZE_REPORT, day(world.DAY), world.FREEZE_ID),
    "emoney": ExportOrder(ExportType.EMONEY_STATISTICS, month(2026, 11)),
    "pack": ExportOrder(ExportType.COMPLIANCE_PACK, quarter(2026, 4)),
}


async def generate(session: AsyncSession, order: ExportOrder) -> tuple[Export, dict[str, bytes]]:
    async with support.services_over(session) as services:
        export, _ = await services.export_request_service.record(order, TESTER)
        await services.uow.commit()
        export = await services.export_generation_service.generate(export.id)
        contents = {
            file["name"]: await services.platform.exports.get(stored_file(file)) for file in export.files
        }
    return export, contents


@pytest.mark.parametrize("name", list(ORDERS))
async def test_each_export_matches_its_golden_files_and_a_rerun_is_byte_identical(
    session: AsyncSession, name: str
) -> None:
    await world.seed()
    if name == "pack":
        await generate(session, ORDERS["dte"])  # the pack counts the DTE rows filed in the quarter
    export, files = await generate(session, ORDERS[name])
    manifest_bytes = files.pop("manifest.json")
    manifest = json.loads(manifest_bytes)

    golden = GOLDEN / export.type.value
    if os.environ.get("OMPAY_WRITE_GOLDEN"):
        golden.mkdir(parents=True, exist_ok=True)
        for file, content in files.items():
            (golden / file).write_bytes(content)
    assert sorted(files) == sorted(path.name for path in golden.iterdir())
    for file, content in files.items():
        assert content == (golden / file).read_bytes(), file

    assert manifest["type"] == export.type.value
    assert manifest["period"] == export.period
    assert [entry["name"] for entry in manifest["files"]] == list(files)
    for entry in manifest["files"]:
        content = files[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content)
        assert entry["rows"] == _rows(entry["name"], content)

    again, files_again = await generate(session, ORDERS[name])
    assert again.id == export.id
    assert again.generations == 2
    assert files_again.pop("manifest.json") == manifest_bytes
    assert files_again == files


def _rows(name: str, content: bytes) -> int:
    if name.endswith(".csv"):
        return len(list(csv.reader(io.StringIO(content.decode())))) - 1
    return content.count(b"\n")
