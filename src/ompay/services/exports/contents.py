"""What each export type holds: the report queries of one export record."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.exports import ExportType
from ompay.models import Export
from ompay.repositories.monitoring import CaseRepository
from ompay.repositories.reports import ReportQuery
from ompay.repositories.reports import compliance as compliance_reports
from ompay.repositories.reports import ledger as ledger_reports
from ompay.repositories.screening import AccountFreezeRepository


async def queries_of(export: Export, session: AsyncSession) -> list[ReportQuery]:
    """An event report reads as of its event (the filing, the freeze); the others, their period."""
    start, end = export.period_start, export.period_end
    match export.type:
        case ExportType.TRANSACTION_JOURNAL:
            return ledger_reports.journal(start, end)
        case ExportType.MERCHANT_SETTLEMENT:
            return ledger_reports.merchant_settlement(UUID(export.subject), start, end)
        case ExportType.EMONEY_STATISTICS:
            return ledger_reports.emoney_statistics(start, end)
        case ExportType.CASH_TRANSACTION_REPORT:
            return compliance_reports.cash_transactions(export.period, start, end)
        case ExportType.COMPLIANCE_PACK:
            return compliance_reports.compliance_pack(start, end)
        case ExportType.SUSPICIOUS_TRANSACTION_REPORT:
            case = await CaseRepository(session=session).get(UUID(export.subject))
            filed_at = case.decided_at or end
            return compliance_reports.suspicious_transactions(case.id, case.person_id, filed_at)
        case ExportType.FREEZE_REPORT:
            freeze = await AccountFreezeRepository(session=session).get(UUID(export.subject))
            return compliance_reports.freeze(freeze.id, freeze.person_id, freeze.frozen_at)
