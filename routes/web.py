"""Pages served to people's browsers (not the API): the hosted payment page."""

from __future__ import annotations

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig
from litestar.types import ControllerRouterHandler

import ompay.http
from ompay.http.controllers.pay_page import PaymentPageController

TEMPLATES = Path(ompay.http.__file__).parent / "templates"


def web_routes() -> list[ControllerRouterHandler]:
    return [PaymentPageController]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
