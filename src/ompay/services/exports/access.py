"""Exports as officers and merchants see them: asking for one, listing, downloading.

Every download is audited before its first byte leaves; a merchant sees only its own settlement
reports, and anything else is simply not found.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound, invalid_field
from ompay.domain.exports import PER_MERCHANT, ExportType, is_closed, parse_period
from ompay.lib.object_store import EncryptedFiles
from ompay.models import Export
from ompay.repositories.exports import ExportRepository
from ompay.repositories.monitoring import CaseRepository
from ompay.repositories.screening import AccountFreezeRepository
from ompay.services.exports.files import stored_file
from ompay.services.exports.generation import ExportGenerationService
from ompay.services.exports.requests import ExportOrder, ExportRequestService, event_order
from ompay.services.merchants.onboarding import MerchantService
from ompay.services.unit_of_work import UnitOfWork


class ExportNotReady(Conflict):
    message_fr = "Cet export n'est pas encore prêt."
    message_en = "This export is not ready yet."


class PeriodNotOver(Conflict):
    message_fr = "La période n'est pas terminée."
    message_en = "The period is not over yet."


@dataclass(frozen=True, slots=True)
class ExportAsk:
    """An officer's or an operator's request, as typed: a period label, a merchant code, or the
    case or freeze an event report is about."""

    type: ExportType
    period: str | None = None
    merchant: str | None = None
    subject: UUID | None = None


@dataclass(frozen=True, slots=True)
class ExportDownload:
    name: str
    media_type: str
    content: AsyncIterator[bytes]


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "json": "application/json"}


class ExportService:
    def __init__(
        self,
        uow: UnitOfWork,
        files: EncryptedFiles,
        requests: ExportRequestService,
        generation: ExportGenerationService,
        merchants: MerchantService,
    ) -> None:
        self.uow = uow
        self.files = files
        self.requests = requests
        self.generation = generation
        self.merchants = merchants
        self.exports = ExportRepository(session=uow.session)
        self.cases = CaseRepository(session=uow.session)
        self.freezes = AccountFreezeRepository(session=uow.session)

    async def order_of(self, ask: ExportAsk, now: datetime | None = None) -> ExportOrder:
        """Scheduled exports by finished period (and merchant); event reports by their case or freeze."""
        if ask.type == ExportType.SUSPICIOUS_TRANSACTION_REPORT:
            case = await self.cases.get_one_or_none(id=ask.subject)
            if case is None or case.str_report is None or case.decided_at is None:
                raise invalid_field(
                    "subject", "Aucune déclaration pour ce dossier.", "No STR was filed on this case."
                )
            return event_order(ask.type, case.id, case.decided_at)
        if ask.type == ExportType.FREEZE_REPORT:
            freeze = await self.freezes.get_one_or_none(id=ask.subject)
            if freeze is None:
                raise invalid_field("subject", "Aucun gel avec cet identifiant.", "No freeze with this id.")
            return event_order(ask.type, freeze.id, freeze.frozen_at)
        period = parse_period(ask.type, ask.period or "")
        if not is_closed(period, now or datetime.now(UTC)):
            raise PeriodNotOver()
        if ask.type not in PER_MERCHANT:
            return ExportOrder(ask.type, period)
        if not ask.merchant:
            raise invalid_field("merchant", "Code marchand requis.", "A merchant code is required.")
        merchant = await self.merchants.by_code(ask.merchant)
        return ExportOrder(ask.type, period, str(merchant.id), merchant.id)

    async def run_on_demand(self, ask: ExportAsk, actor: Actor) -> Export:
        """An officer's run: queued for a reporting worker, again if it exists (same bytes)."""
        export = await self.requests.request(await self.order_of(ask), actor, rerun=True)
        await self.uow.commit()
        return export

    async def run_here(self, ask: ExportAsk, actor: Actor) -> Export:
        """An operator's run from the console: generated in this process, not by a worker."""
        export, _ = await self.requests.record(await self.order_of(ask), actor)
        await self.uow.commit()
        return await self.generation.generate(export.id)

    async def page(
        self, limit: int, starting_after: UUID | None, export_type: ExportType | None
    ) -> Sequence[Export]:
        """Newest first, one more than `limit` when there are more (the cursor page's signal)."""
        return await self.exports.page(limit + 1, starting_after, export_type)

    async def settlement_reports(
        self, merchant_id: UUID, limit: int, starting_after: UUID | None
    ) -> Sequence[Export]:
        """Only this merchant's settlement reports: a merchant never learns of any other export."""
        return await self.exports.page(limit + 1, starting_after, ExportType.MERCHANT_SETTLEMENT, merchant_id)

    async def get(self, export_id: UUID, merchant_id: UUID | None = None) -> Export:
        """Another merchant's export is as unknown as one that does not exist."""
        export = await self.exports.get_one_or_none(id=export_id)
        if export is None or (merchant_id is not None and export.merchant_id != merchant_id):
            raise NotFound()
        return export

    async def download(
        self, export_id: UUID, name: str, actor: Actor, merchant_id: UUID | None = None
    ) -> ExportDownload:
        """Audited, then streamed and checked frame by frame against the recorded digest."""
        export = await self.get(export_id, merchant_id)
        if not export.files:
            raise ExportNotReady()
        record = next((file for file in export.files if file["name"] == name), None)
        if record is None:
            raise NotFound()
        self.uow.audit.record(
            "export.downloaded",
            actor,
            target_type="export",
            target_id=str(export.id),
            changes={"file": name, "sha256": record["sha256"]},
        )
        await self.uow.commit()
        media_type = MEDIA_TYPES[name.rsplit(".", 1)[-1]]
        return ExportDownload(name, media_type, self.files.stream(stored_file(record)))
