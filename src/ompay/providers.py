"""ApplicationCore: wires plugins, routes, DI, errors, rate limits, CORS, OpenAPI and CLI."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from litestar.plugins import CLIPluginProtocol, InitPluginProtocol

if TYPE_CHECKING:
    from click import Group
    from litestar import Litestar
    from litestar.config.app import AppConfig


class ApplicationCore(InitPluginProtocol, CLIPluginProtocol):
    """The app's service provider: everything `create_app()` needs, in one place."""

    def on_cli_init(self, cli: Group) -> None:
        from routes.console import COMMANDS

        for command in COMMANDS:
            cli.add_command(command)

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
        from litestar_granian import GranianPlugin
        from litestar_saq import SAQPlugin

        from config.database import get_alchemy_config
        from config.http import build_cors_config, build_openapi_config
        from config.logging import configure_logging
        from config.queue import get_saq_config
        from config.settings import get_settings
        from ompay import __version__
        from ompay.http.auth import build_user_auth
        from ompay.http.dependencies import DEPENDENCIES
        from ompay.http.exceptions import framework_error_handler
        from ompay.http.merchant_auth import API_KEY, API_KEY_SCHEME
        from ompay.http.rate_limits import RateLimits
        from ompay.http.request import ApiRequest
        from ompay.lib.queue import JobDispatcher
        from ompay.lib.redis import create_redis
        from ompay.services.container import Platform
        from routes.api import api_v1_router
        from routes.health import system_routes
        from routes.legacy import legacy_router
        from routes.web import template_config, web_routes

        settings = get_settings()
        configure_logging(settings.log)
        saq_config = get_saq_config()
        alchemy = get_alchemy_config()
        redis = create_redis(settings.redis)
        dispatcher = JobDispatcher(saq_config.get_queues().queues)
        platform = Platform.build(settings, redis, dispatcher, alchemy.get_engine())
        user_auth = build_user_auth(platform.security)
        limits = RateLimits.build(settings, redis)

        app_config.debug = settings.app.debug
        app_config.logging_config = None  # configure_logging owns logging; Litestar's would replace it
        app_config.plugins.extend(
            [SQLAlchemyPlugin(config=alchemy), SAQPlugin(config=saq_config), GranianPlugin()]
        )
        app_config.route_handlers.extend(
            [
                *system_routes(),
                *web_routes(),
                api_v1_router(settings, limits),
                legacy_router(settings, limits),
            ]
        )
        app_config.dependencies.update(DEPENDENCIES)
        app_config.exception_handlers[Exception] = framework_error_handler
        app_config.request_class = ApiRequest
        app_config.state.alchemy = alchemy
        app_config.state.platform = platform
        app_config.state.rate_counters = limits.counters
        app_config.middleware.extend([limits.per_ip, user_auth.middleware])
        app_config.cors_config = build_cors_config(settings)
        app_config.template_config = template_config()
        components = user_auth.openapi_components
        components.security_schemes = {**(components.security_schemes or {}), API_KEY: API_KEY_SCHEME}
        app_config.openapi_config = build_openapi_config(settings, __version__, components)
        app_config.on_startup.extend([_connect_queues, _hear_session_revocations])
        app_config.on_shutdown.extend([_stop_hearing_revocations, _close_redis])
        return app_config


async def _connect_queues(app: Litestar) -> None:
    await app.state.platform.dispatcher.connect()


async def _hear_session_revocations(app: Litestar) -> None:
    """Sessions are remembered only while this process hears of their revocations."""
    sessions = app.state.platform.security.sessions
    app.state.revocation_listener = asyncio.create_task(sessions.listen()) if sessions.ttl > 0 else None


async def _stop_hearing_revocations(app: Litestar) -> None:
    if app.state.revocation_listener is not None:
        await app.state.platform.security.sessions.stop(app.state.revocation_listener)


async def _close_redis(app: Litestar) -> None:
    await app.state.platform.redis.aclose()
