"""/api/v1/merchant/settlement-reports: a merchant's daily settlement reports (`reports:read`)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from ompay.domain.merchants import Scope
from ompay.http.controllers.v1.exports import stream_download
from ompay.http.controllers.v1.merchant_api import MerchantApiController
from ompay.http.merchant_auth import requires_scope
from ompay.schemas.exports import SettlementReportResource
from ompay.schemas.fields import text_path
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.exports.access import ExportService
from ompay.services.merchants.api_keys import MerchantCaller


class SettlementReportController(MerchantApiController):
    path = "/settlement-reports"
    tags = ["Merchant reports"]
    guards = [requires_scope(Scope.REPORTS_READ)]

    @get("/", summary="My daily settlement reports, newest first (cursor pages)")
    async def index(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        export_service: NamedDependency[ExportService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
    ) -> CursorPage[SettlementReportResource]:
        rows = await export_service.settlement_reports(merchant_caller.merchant_id, limit, starting_after)
        return CursorPage.of(rows, limit, SettlementReportResource.of)

    @get(
        "/{report_id:uuid}/files/{name:str}",
        summary="Download one file of a settlement report (audited)",
        responses=problem_responses(404, 409),
    )
    async def download(
        self,
        report_id: FromPath[UUID],
        name: Annotated[str, text_path(60)],
        merchant_caller: NamedDependency[MerchantCaller],
        export_service: NamedDependency[ExportService],
    ) -> Stream:
        download = await export_service.download(
            report_id, name, merchant_caller.actor, merchant_caller.merchant_id
        )
        return stream_download(download)
