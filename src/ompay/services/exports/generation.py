"""Generating an export: every file of it from one database snapshot, then its manifest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from config.logging import get_logger
from ompay.domain.actors import Actor
from ompay.domain.audit_chain import GENESIS_HASH
from ompay.domain.export_format import ManifestHeader, manifest
from ompay.domain.exports import GENERATOR_VERSION
from ompay.lib.masking import mask_text
from ompay.lib.object_store import EncryptedFiles
from ompay.models import Export, ExportStatus
from ompay.repositories.audit import AuditEventRepository
from ompay.repositories.exports import ExportRepository
from ompay.repositories.reports import ReportReader
from ompay.services.exports.contents import queries_of
from ompay.services.exports.files import WrittenFile, write_manifest, write_query
from ompay.services.unit_of_work import UnitOfWork

logger = get_logger(__name__)
GENERATOR = Actor.system("exports")


class ExportGenerationService:
    def __init__(self, uow: UnitOfWork, files: EncryptedFiles, reports: AsyncEngine) -> None:
        self.uow = uow
        self.files = files
        self.reports = reports
        self.exports = ExportRepository(session=uow.session)
        self.audit_events = AuditEventRepository(session=uow.session)

    async def generate(self, export_id: UUID) -> Export:
        """Each generation writes new objects and points the record at them only once all are
        written, so a generation that fails leaves the previous files whole. The manifest's
        header is fixed at the first generation: a rerun writes the same bytes."""
        await self.exports.lock_generation(export_id)
        export = await self.exports.get(export_id)
        await self.uow.session.refresh(export)
        previous = list(export.files)
        try:
            written = await self._write(export)
        except Exception as exc:
            await self._record_failure(export_id, exc)
            raise
        export.files = [file.record() for file in written]
        export.status = ExportStatus.READY
        export.generations += 1
        export.last_error = None
        self.uow.audit.record(
            "export.generated",
            GENERATOR,
            target_type="export",
            target_id=str(export.id),
            changes={"generation": export.generations, "manifest_sha256": written[-1].stored.sha256},
        )
        await self.uow.commit()
        await self._forget(previous)
        return export

    async def _write(self, export: Export) -> list[WrittenFile]:
        header = await self._header(export)
        folder = (
            f"exports/{export.type.value}/{export.period}/{export.subject or 'all'}/{export.generations + 1}"
        )
        queries = await queries_of(export, self.uow.session)
        written: list[WrittenFile] = []
        async with ReportReader.snapshot(self.reports) as reader:
            for query in queries:
                written += await write_query(self.files, reader, query, folder)
        body = manifest(header, [file.digest for file in written])
        return [*written, await write_manifest(self.files, folder, body)]

    async def _header(self, export: Export) -> ManifestHeader:
        if export.generated_at is None:
            seq, head = await self.audit_events.chain_head() or (0, GENESIS_HASH)
            export.generated_at = datetime.now(UTC)
            export.audit_chain_seq, export.audit_chain_head = seq, head
            export.generator_version = GENERATOR_VERSION
        return ManifestHeader(
            export_type=export.type.value,
            period=export.period,
            subject=export.subject,
            period_start=export.period_start,
            period_end=export.period_end,
            generated_at=export.generated_at,
            generator_version=export.generator_version or GENERATOR_VERSION,
            audit_chain_seq=export.audit_chain_seq or 0,
            audit_chain_head=export.audit_chain_head or GENESIS_HASH,
        )

    async def _record_failure(self, export_id: UUID, exc: Exception) -> None:
        await self.uow.session.rollback()
        await self.exports.record_failure(export_id, mask_text(repr(exc))[:2000])
        await self.uow.commit()
        await logger.aerror("export failed", export_id=str(export_id), error=type(exc).__name__)

    async def _forget(self, files: list[dict[str, Any]]) -> None:
        """The previous generation's objects, once nothing points at them (best effort)."""
        for file in files:
            try:
                await self.files.delete(str(file["key"]))
            except Exception:
                await logger.awarning("stale export object left behind", key=str(file["key"]))
