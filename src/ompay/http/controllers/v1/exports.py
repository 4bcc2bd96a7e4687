"""/api/v1/admin/exports: run an export on demand, list them, download their files (audited).
Compliance officers and admins only."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream

from ompay.domain.exports import ExportType
from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import COMPLIANCE_DECISIONS
from ompay.schemas.exports import ExportResource, ExportRunRequest
from ompay.schemas.fields import text_path
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.exports.access import ExportDownload, ExportService
from ompay.services.identity.sessions import CurrentUser


def stream_download(download: ExportDownload) -> Stream:
    """Streamed as it is decrypted; never cached on the way."""
    return Stream(
        download.content,
        media_type=download.media_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{download.name}"',
        },
    )


class AdminExportController(Controller):
    path = "/exports"
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [COMPLIANCE_DECISIONS]

    @post(
        "/",
        status_code=202,
        summary="Run an export now, or again (the same bytes); a reporting worker generates it",
        responses=problem_responses(409, 422),
    )
    async def run(
        self,
        data: JSONBody[ExportRunRequest],
        current_user: NamedDependency[CurrentUser],
        export_service: NamedDependency[ExportService],
    ) -> ExportResource:
        return ExportResource.of(await export_service.run_on_demand(data.ask(), current_user.actor))

    @get("/", summary="Exports, newest first (cursor pages)")
    async def index(
        self,
        export_service: NamedDependency[ExportService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        type: Annotated[ExportType | None, QueryParameter()] = None,
    ) -> CursorPage[ExportResource]:
        return CursorPage.of(await export_service.page(limit, starting_after, type), limit, ExportResource.of)

    @get("/{export_id:uuid}", summary="An export and its files", responses=problem_responses(404))
    async def show(
        self, export_id: FromPath[UUID], export_service: NamedDependency[ExportService]
    ) -> ExportResource:
        return ExportResource.of(await export_service.get(export_id))

    @get(
        "/{export_id:uuid}/files/{name:str}",
        summary="Download one file of an export (audited)",
        responses=problem_responses(404, 409),
    )
    async def download(
        self,
        export_id: FromPath[UUID],
        name: Annotated[str, text_path(60)],
        current_user: NamedDependency[CurrentUser],
        export_service: NamedDependency[ExportService],
    ) -> Stream:
        return stream_download(await export_service.download(export_id, name, current_user.actor))
