"""/docs: the Swagger UI, served with its assets from the installed package (works offline)."""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from litestar import Router, get
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from config.http import DOCS_ASSETS_PATH

DOCS_OPTS = {"exclude_from_rate_limit": True, "exclude_from_auth": True}


@get("/docs", include_in_schema=False, opt=DOCS_OPTS)
async def docs_redirect() -> Redirect:
    return Redirect("/schema/swagger")


def docs_assets_router() -> Router:
    return create_static_files_router(
        path=DOCS_ASSETS_PATH,
        directories=[Path(swagger_ui.__file__).parent / "static"],
        include_in_schema=False,
        opt=DOCS_OPTS,
    )
